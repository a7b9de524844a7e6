/* Without SA_NODEFER a signal is blocked while its handler runs, so one
 * raised inside the handler waits until it returns; with SA_NODEFER it
 * nests at once. */
#include "contract.h"
#include <signal.h>

static volatile int depth, maxdepth, calls;
static char trace[64];
static volatile int tn;

static void h(int sig)
{
    depth++;
    calls++;
    if (depth > maxdepth)
        maxdepth = depth;
    trace[tn++] = 'E';
    if (calls == 1)
        raise(sig);
    trace[tn++] = 'X';
    depth--;
}

static void run(int flags, const char *label)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
    depth = maxdepth = calls = tn = 0;
    memset(trace, 0, sizeof trace);
    raise(SIGUSR1);
    say("%s: calls %d max depth %d order %s", label, calls, maxdepth, trace);
}

int main(void)
{
    run(0, "default");
    run(SA_NODEFER, "SA_NODEFER");
    return 0;
}
