/* sigaction without SA_SIGINFO: the handler gets the signal number; the
 * previous action comes back through oldact (handler, flags, mask).
 * contract: glibc */
#include "contract.h"
#include <signal.h>

static volatile sig_atomic_t got;

static void h1(int sig) { got = sig; }
static void h2(int sig) { got = 100 + sig; }

int main(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    memset(&old, 0, sizeof old);

    OK("query SIGUSR1", sigaction(SIGUSR1, NULL, &old));
    say("initial handler is SIG_DFL: %d", old.sa_handler == SIG_DFL);

    sa.sa_handler = h1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sa.sa_flags = SA_RESTART;
    OK("install h1", sigaction(SIGUSR1, &sa, &old));
    say("old handler still SIG_DFL: %d", old.sa_handler == SIG_DFL);

    OK("raise SIGUSR1", raise(SIGUSR1));
    say("handler saw signal: %d", got);

    sa.sa_handler = h2;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    OK("install h2", sigaction(SIGUSR1, &sa, &old));
    say("old handler is h1: %d", old.sa_handler == h1);
    say("old flags have SA_RESTART: %d", (old.sa_flags & SA_RESTART) != 0);
    say("old flags have SA_SIGINFO: %d", (old.sa_flags & SA_SIGINFO) != 0);
    say("old mask has SIGUSR2: %d", sigismember(&old.sa_mask, SIGUSR2));
    say("old mask has SIGTERM: %d", sigismember(&old.sa_mask, SIGTERM));

    OK("kill self", kill(getpid(), SIGUSR1));
    say("handler saw signal: %d", got);

    /* signal() installs a handler too and returns the previous one. */
    say("signal returns h2: %d", signal(SIGUSR1, SIG_IGN) == h2);
    OK("raise ignored", raise(SIGUSR1));
    say("still alive after ignored signal: 1");
    say("signal returns SIG_IGN: %d", signal(SIGUSR1, SIG_DFL) == SIG_IGN);
    return 0;
}
