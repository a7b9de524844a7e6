/* Real-time signals queue: every instance is delivered, with its value,
 * in order of sending; lower-numbered signals are taken first. A standard
 * signal sent twice while blocked is delivered once. With sa_mask full,
 * handlers run one after the other in the order signals are taken. */
#include "contract.h"
#include <signal.h>

static char trace[256];
static int tn;

static void h(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    tn += snprintf(trace + tn, sizeof trace - tn, "%s%d", tn ? " " : "",
                   sig >= SIGRTMIN ? 100 * (sig - SIGRTMIN + 1) + si->si_value.sival_int : sig);
}

static void q(int sig, int val)
{
    union sigval v = {.sival_int = val};
    sigqueue(getpid(), sig, v);
}

static void run(int full_mask, const char *label)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    if (full_mask)
        sigfillset(&sa.sa_mask);
    else
        sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGRTMIN + 1, &sa, NULL);
    sigaction(SIGRTMIN + 2, &sa, NULL);

    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN + 1);
    sigaddset(&s, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    q(SIGRTMIN + 2, 1);
    q(SIGRTMIN + 2, 2);
    q(SIGRTMIN + 1, 3);
    q(SIGUSR1, 0);
    q(SIGRTMIN + 2, 3);
    q(SIGRTMIN + 1, 4);
    q(SIGUSR1, 0);
    tn = 0;
    trace[0] = 0;
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("%s: %s", label, trace);
}

int main(void)
{
    run(1, "sa_mask full");
    run(0, "sa_mask empty");
    return 0;
}
