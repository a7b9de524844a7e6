/* A blocking flock waits until the holder unlocks. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    OK("parent LOCK_EX", flock(a, LOCK_EX));
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        int r = flock(b, LOCK_EX);
        write(p[1], r == 0 ? "y" : "n", 1);
        _exit(0);
    }
    wait_sleeping(c);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char ch;
    SAY("child has no lock yet", read(p[0], &ch, 1));
    OK("parent LOCK_UN", flock(a, LOCK_UN));
    fcntl(p[0], F_SETFL, 0);
    read(p[0], &ch, 1);
    say("child got the lock: %c", ch);
    int st;
    waitpid(c, &st, 0);
    say("child %s", wstatus(st));
    OK("parent LOCK_EX|LOCK_NB after the child exited", flock(a, LOCK_EX | LOCK_NB));
    return 0;
}
