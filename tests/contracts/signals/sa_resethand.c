/* SA_RESETHAND: the disposition goes back to SIG_DFL when the handler is
 * entered, so a second signal takes the default action. Linux resets only
 * the handler; the flags stay as they were. */
#include "contract.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static volatile int calls, was_dfl, flags_in_handler, blocked_in_handler;

static void h(int sig)
{
    struct sigaction q;
    sigaction(sig, NULL, &q);
    was_dfl = q.sa_handler == SIG_DFL;
    flags_in_handler = q.sa_flags & (SA_RESETHAND | SA_RESTART | SA_SIGINFO | SA_NODEFER);
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    blocked_in_handler = sigismember(&cur, sig);
    calls++;
}

int main(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    OK("install", sigaction(SIGUSR1, &sa, NULL));
    raise(SIGUSR1);
    say("calls %d", calls);
    say("handler saw SIG_DFL: %d", was_dfl);
    say("flags while reset: resethand %d restart %d", !!(flags_in_handler & SA_RESETHAND), !!(flags_in_handler & SA_RESTART));
    say("signal blocked in its handler: %d", blocked_in_handler);

    struct sigaction q;
    sigaction(SIGUSR1, NULL, &q);
    say("after: SIG_DFL %d", q.sa_handler == SIG_DFL);

    pid_t c = fork();
    if (c == 0) {
        raise(SIGUSR1); /* default action: terminate */
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("second SIGUSR1 in a child: %s", wstatus(st));

    /* SA_RESETHAND together with SA_NODEFER. */
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    say("NODEFER: signal blocked in its handler: %d", blocked_in_handler);
    return 0;
}
