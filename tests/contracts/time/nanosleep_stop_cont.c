/* A sleep stopped by SIGSTOP and resumed by SIGCONT (no handler runs)
 * continues for the time that was left, not from scratch: a later
 * interruption reports a remainder that counts the time already slept. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static void h(int sig) { (void)sig; }

int main(void)
{
    int ready[2], out[2];
    pipe(ready);
    pipe(out);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, h);
        struct timespec req = {10, 0}, rem = {0, 0};
        write(ready[1], "r", 1);
        errno = 0;
        int r = nanosleep(&req, &rem);
        int e = errno;
        long long left = rem.tv_sec * 1000000000LL + rem.tv_nsec;
        say("child: nanosleep %d %s", r, r ? errname(e) : "");
        say("child: remaining counts the time before the stop (<= 9.8s): %d", left <= 9800000000LL);
        say("child: remaining > 0: %d", left > 0);
        _exit(0);
    }
    char b;
    read(ready[0], &b, 1);
    struct timespec d = {0, 500000000};
    nanosleep(&d, NULL);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    say("parent: %s", wstatus(st));
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    say("parent: %s", wstatus(st));
    d.tv_nsec = 50000000;
    nanosleep(&d, NULL);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);
    say("parent: child %s", wstatus(st));

    /* Without any interruption after the continue, the sleep simply
     * ends (it is not reported as interrupted). */
    c = fork();
    if (c == 0) {
        struct timespec req = {0, 400000000};
        write(ready[1], "r", 1);
        int r = nanosleep(&req, NULL);
        say("child 2: nanosleep %d", r);
        _exit(0);
    }
    read(ready[0], &b, 1);
    d.tv_nsec = 100000000;
    nanosleep(&d, NULL);
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    say("parent: child 2 %s", wstatus(st));
    return 0;
}
