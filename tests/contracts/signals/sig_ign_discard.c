/* SIG_IGN: an ignored signal is dropped when sent, unless it is blocked
 * (then it stays pending, since the disposition may change before it is
 * unblocked); setting SIG_IGN discards a pending instance; so does
 * SIG_DFL for a signal whose default is to ignore. */
#include "contract.h"
#include <signal.h>

static volatile int calls;
static void h(int sig) { (void)sig; calls++; }

static int pending(int sig)
{
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, sig);
}

int main(void)
{
    signal(SIGUSR1, SIG_IGN);
    kill(getpid(), SIGUSR1);
    say("ignored, unblocked: pending %d", pending(SIGUSR1));

    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigaddset(&s, SIGCHLD);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    kill(getpid(), SIGUSR1);
    say("ignored, blocked: pending %d", pending(SIGUSR1));
    signal(SIGUSR1, h);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("handler installed before unblock: calls %d", calls);

    sigprocmask(SIG_BLOCK, &s, NULL);
    signal(SIGUSR2, h);
    kill(getpid(), SIGUSR2);
    say("handled, blocked: pending %d", pending(SIGUSR2));
    signal(SIGUSR2, SIG_IGN);
    say("after SIG_IGN: pending %d", pending(SIGUSR2));
    signal(SIGUSR2, h);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("after unblock: calls %d", calls);

    /* Real-time: every queued instance is discarded. */
    sigprocmask(SIG_BLOCK, &s, NULL);
    signal(SIGRTMIN, h);
    union sigval v = {0};
    sigqueue(getpid(), SIGRTMIN, v);
    sigqueue(getpid(), SIGRTMIN, v);
    say("rt queued: pending %d", pending(SIGRTMIN));
    signal(SIGRTMIN, SIG_IGN);
    say("rt after SIG_IGN: pending %d", pending(SIGRTMIN));

    /* SIGCHLD's default is to ignore: SIG_DFL discards it too. */
    signal(SIGCHLD, h);
    kill(getpid(), SIGCHLD);
    say("SIGCHLD handled, blocked: pending %d", pending(SIGCHLD));
    signal(SIGCHLD, SIG_DFL);
    say("SIGCHLD after SIG_DFL: pending %d", pending(SIGCHLD));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("calls %d", calls);

    /* Default-ignored signals sent while unblocked do nothing. */
    signal(SIGCHLD, SIG_DFL);
    signal(SIGURG, SIG_DFL);
    signal(SIGWINCH, SIG_DFL);
    kill(getpid(), SIGCHLD);
    kill(getpid(), SIGURG);
    kill(getpid(), SIGWINCH);
    kill(getpid(), SIGCONT);
    say("alive after SIGCHLD SIGURG SIGWINCH SIGCONT: 1");
    return 0;
}
