/* Writing to a pipe whose read end is closed raises SIGPIPE (killing by
 * default); ignored or handled, the write fails with EPIPE. The signal
 * looks as if the writer sent it to itself (SI_USER, si_pid = own pid). */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int calls, code, pid_ok;
static void h(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    calls++;
    code = si->si_code;
    pid_ok = si->si_pid == getpid();
}

int main(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    pid_t c = fork();
    if (c == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("default: %s", wstatus(st));

    signal(SIGPIPE, SIG_IGN);
    SAY("ignored: write", write(p[1], "x", 1));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGPIPE, &sa, NULL);
    SAY("handled: write", write(p[1], "x", 1));
    say("handler: calls %d SI_USER %d pid ok %d", calls, code == SI_USER, pid_ok);

    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    sigprocmask(SIG_BLOCK, &s, NULL);
    SAY("blocked: write", write(p[1], "x", 1));
    sigset_t pend;
    sigpending(&pend);
    say("blocked: SIGPIPE pending %d", sigismember(&pend, SIGPIPE));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("after unblock: calls %d", calls);
    return 0;
}
