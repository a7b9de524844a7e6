/* MAP_GROWSDOWN: the mapping grows down when a page below it is touched,
 * up to RLIMIT_STACK, but never to within the stack guard gap (256 pages)
 * of the mapping below; a touch that cannot grow it is SIGSEGV
 * (SEGV_MAPERR). A non-fixed mapping is not placed in the guard gap. */
#include "contract.h"
#include "memprobe.h"
#include <sys/resource.h>

#define GAP (256 * PG)

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = 1 << 20; /* 1 MiB */
    setrlimit(RLIMIT_STACK, &rl);

    char *top = PLAYGROUND + 4096 * PG;
    char *s = mmap(top - 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
    say("mapped: %d", s == top - 2 * PG);
    say("resident before: %s", resident(s - 2 * PG, 4));
    say("one page below: %s", probe_write(s - PG, 'a'));
    say("mincore sees it: %s", resident(s - PG, 3));
    say("ten pages below: %s", probe_write(s - 10 * PG, 'b'));
    say("pages in between exist: %s", resident(s - 10 * PG, 10));
    say("in between reads zero: %s", probe_read(s - 5 * PG));
    say("munmap of the grown part: %d", munmap(s - 10 * PG, 2 * PG));
    /* Growing past RLIMIT_STACK (1 MiB = 256 pages in all) fails. */
    say("300 pages below the top: %s", probe_write(top - 300 * PG, 'c'));
    say("200 pages below the top: %s", probe_write(top - 200 * PG, 'c'));

    /* A second growable mapping with a normal mapping close below. */
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = 64 << 20;
    setrlimit(RLIMIT_STACK, &rl);
    char *low = PLAYGROUND + 16384 * PG;
    char *blk = map_at(low, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    char *s2top = low + PG + GAP + 8 * PG;
    char *s2 = mmap(s2top - PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
    say("second stack and blocker: %d", blk == low && s2 == s2top - PG);
    say("grow to just above the gap: %s", probe_write(low + PG + GAP, 'd'));
    say("grow into the gap: %s", probe_write(low + PG + GAP - PG, 'e'));
    /* Placement with a hint inside the gap below a growable mapping. */
    char *h = mmap(low + PG + GAP / 2, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("hint inside the guard gap used: %d", h == low + PG + GAP / 2);
    char *f = mmap(low + PG + GAP / 2, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("NOREPLACE inside the guard gap: %s", f == MAP_FAILED ? errname(errno) : "mapped");
    return 0;
}
