/* sigwaitinfo wakes for a signal another process sends; si_pid is the
 * sender's pid; a blocked signal sent before the wait is found at once. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN + 4);
    sigprocmask(SIG_BLOCK, &s, NULL);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        struct timespec d = {0, 50000000};
        nanosleep(&d, NULL);
        kill(parent, SIGUSR1);
        nanosleep(&d, NULL);
        union sigval v = {.sival_int = 31};
        sigqueue(parent, SIGRTMIN + 4, v);
        _exit(0);
    }
    siginfo_t si;
    int r = sigwaitinfo(&s, &si);
    say("first: SIGUSR1 %d SI_USER %d pid is child %d uid ok %d", r == SIGUSR1, si.si_code == SI_USER, si.si_pid == c, si.si_uid == getuid());
    r = sigwaitinfo(&s, &si);
    say("second: RTMIN+4 %d SI_QUEUE %d pid is child %d value %d", r == SIGRTMIN + 4, si.si_code == SI_QUEUE, si.si_pid == c, si.si_value.sival_int);
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
