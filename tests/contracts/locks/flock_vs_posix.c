/* flock locks and fcntl record locks are independent on Linux. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    OK("flock LOCK_EX", flock(a, LOCK_EX));
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        OK("child F_SETLK write lock beside the flock", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
        SAY("child flock LOCK_EX|LOCK_NB", flock(b, LOCK_EX | LOCK_NB));
        say("child F_GETLK ignores flock: %s", getlk(b, F_GETLK, F_WRLCK, 0, 0, 0));
        _exit(0);
    }
    waitpid(c, 0, 0);
    OK("F_SETLK in the parent", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
    return 0;
}
