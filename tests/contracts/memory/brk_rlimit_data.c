/* RLIMIT_DATA bounds the heap: brk beyond the limit returns the old break.
 * RLIMIT_AS bounds it too. Only soft limits are changed, so they can be
 * raised again without privilege. */
#include "contract.h"
#include <sys/resource.h>
#include <sys/syscall.h>

static char *raw_brk(void *p) { return (char *)syscall(SYS_brk, p); }

static int set_soft(int res, rlim_t v)
{
    struct rlimit rl;
    getrlimit(res, &rl);
    rl.rlim_cur = v;
    return setrlimit(res, &rl);
}

int main(void)
{
    char *b0 = raw_brk(0);
    OK("RLIMIT_DATA soft 16 MiB", set_soft(RLIMIT_DATA, 16 << 20));
    say("grow by 4 MiB: %d", raw_brk(b0 + (4 << 20)) == b0 + (4 << 20));
    say("grow to 64 MiB refused: %d", raw_brk(b0 + (64 << 20)) == b0 + (4 << 20));
    say("shrink still works: %d", raw_brk(b0) == b0);
    OK("RLIMIT_DATA back to infinity", set_soft(RLIMIT_DATA, RLIM_INFINITY));
    say("grow to 64 MiB now: %d", raw_brk(b0 + (64 << 20)) == b0 + (64 << 20));
    say("shrink: %d", raw_brk(b0) == b0);
    OK("RLIMIT_AS soft 64 MiB", set_soft(RLIMIT_AS, 64 << 20));
    say("grow by 128 MiB refused under RLIMIT_AS: %d", raw_brk(b0 + (128 << 20)) == b0);
    say("grow by 1 MiB ok: %d", raw_brk(b0 + (1 << 20)) == b0 + (1 << 20));
    return 0;
}
