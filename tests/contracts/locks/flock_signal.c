/* A signal interrupts a blocked flock: EINTR without SA_RESTART; with
 * SA_RESTART the call goes on waiting and gets the lock. */
#include "lockutil.h"

static void on_usr1(int s) { (void)s; }

static void run(int restart)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    flock(a, LOCK_EX);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0 };
        sigaction(SIGUSR1, &sa, 0);
        int b = open("f", O_RDWR);
        write(p[1], "r", 1);
        int r = flock(b, LOCK_EX);
        char msg[64];
        snprintf(msg, sizeof msg, "%s", r == 0 ? "0" : errname(errno));
        write(p[1], msg, strlen(msg) + 1);
        _exit(0);
    }
    char buf[64];
    read(p[0], buf, 1);
    wait_sleeping(c);
    kill(c, SIGUSR1);
    if (restart) {
        /* The restarted call sleeps again: then let it through. */
        wait_sleeping(c);
        flock(a, LOCK_UN);
    }
    read(p[0], buf, sizeof buf);
    say("%s: flock in the child returned %s", restart ? "SA_RESTART" : "no SA_RESTART", buf);
    waitpid(c, 0, 0);
    close(a);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    run(0);
    run(1);
    return 0;
}
