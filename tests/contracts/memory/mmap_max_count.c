/* vm.max_map_count (65530 by default): a process cannot have more
 * mappings; the next mmap fails with ENOMEM, and unmapping makes room
 * again. Mappings are one page each with gaps, so they cannot merge. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    int n = 0;
    char *last = 0;
    for (; n < 70000; n++) {
        char *p = mmap(PLAYGROUND + 2UL * n * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)
            break;
        last = p;
    }
    say("stopped with: %s", errname(errno));
    say("between 65000 and 65530 mappings made: %d", n >= 65000 && n <= 65530);
    SAY("munmap one", munmap(last, PG));
    char *again = mmap(PLAYGROUND + 2UL * 80000 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("room for one more: %d", again != MAP_FAILED);
    char *more = mmap(PLAYGROUND + 2UL * 80002 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("but not two: %s", more == MAP_FAILED ? errname(errno) : "mapped");
    /* An mmap adjacent to an existing one with the same properties merges
     * on Linux, so it needs no new entry... but only if it can merge. */
    SAY("munmap all", munmap(PLAYGROUND, 2UL * 80004 * PG));
    char *p = mmap(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mapping again works: %d", p != MAP_FAILED);
    return 0;
}
