/* While a handler runs, the mask is the old mask plus sa_mask plus the
 * signal itself; a signal in sa_mask raised inside the handler waits
 * until the handler returns; the old mask comes back afterwards. */
#include "contract.h"
#include <signal.h>

static char trace[32];
static volatile int tn;
static volatile int m_usr1, m_usr2, m_term, m_hup;

static void h2(int sig) { (void)sig; trace[tn++] = '2'; }

static void h1(int sig)
{
    (void)sig;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    m_usr1 = sigismember(&cur, SIGUSR1);
    m_usr2 = sigismember(&cur, SIGUSR2);
    m_term = sigismember(&cur, SIGTERM);
    m_hup = sigismember(&cur, SIGHUP);
    trace[tn++] = '[';
    raise(SIGUSR2); /* blocked by sa_mask: runs after h1 returns */
    trace[tn++] = ']';
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h2;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_handler = h1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, NULL);

    sigset_t hup, before, after;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigprocmask(SIG_BLOCK, &hup, &before);
    raise(SIGUSR1);
    say("in handler: USR1 %d USR2 %d TERM %d HUP(old mask) %d", m_usr1, m_usr2, m_term, m_hup);
    say("order: %s", trace);
    sigprocmask(SIG_SETMASK, NULL, &after);
    say("after: USR1 %d USR2 %d TERM %d HUP %d", sigismember(&after, SIGUSR1), sigismember(&after, SIGUSR2), sigismember(&after, SIGTERM), sigismember(&after, SIGHUP));
    return 0;
}
