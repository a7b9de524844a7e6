/* sysconf values that come from the kernel: page size, clock ticks,
 * descriptor limit (after setrlimit), and that the child max is positive. */
#include "contract.h"
#include <sys/resource.h>

int main(void)
{
    say("_SC_PAGESIZE %ld", sysconf(_SC_PAGESIZE));
    say("_SC_CLK_TCK %ld", sysconf(_SC_CLK_TCK));
    struct rlimit rl = {123, 456};
    setrlimit(RLIMIT_NOFILE, &rl);
    say("_SC_OPEN_MAX after setrlimit %ld", sysconf(_SC_OPEN_MAX));
    say("_SC_CHILD_MAX > 0: %d", sysconf(_SC_CHILD_MAX) > 0);
    say("_SC_NPROCESSORS_ONLN > 0: %d", sysconf(_SC_NPROCESSORS_ONLN) > 0);
    say("_SC_PHYS_PAGES > 0: %d", sysconf(_SC_PHYS_PAGES) > 0);
    return 0;
}
