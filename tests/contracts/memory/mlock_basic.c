/* mlock faults the range in (resident at once) and locks it: a locked
 * range refuses MADV_DONTNEED (EINVAL); munlock undoes that. Errors:
 * ENOMEM for unmapped pages; mlockall with bad flags EINVAL. */
#include "contract.h"
#include "memprobe.h"
#include <sys/mman.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    say("before: %s", resident(p, 4));
    SAY("mlock pages 1-2", mlock(p + PG, 2 * PG));
    say("after: %s", resident(p, 4));
    SAY("DONTNEED locked", madvise(p + PG, PG, MADV_DONTNEED));
    SAY("DONTNEED unlocked page 3", madvise(p + 3 * PG, PG, MADV_DONTNEED));
    SAY("munlock", munlock(p + PG, 2 * PG));
    SAY("DONTNEED after munlock", madvise(p + PG, PG, MADV_DONTNEED));
    SAY("mlock unaligned address (rounded)", mlock(p + 10, PG));
    SAY("mlock unmapped", mlock(PLAYGROUND + 64 * PG, PG));
    SAY("mlock across a hole", mlock(p, 8 * PG));
    SAY("munlock unmapped", munlock(PLAYGROUND + 64 * PG, PG));
    SAY("mlock length 0", mlock(p, 0));
    char *n = map_at(PLAYGROUND + 16 * PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("mlock PROT_NONE", mlock(n, PG));
    say("PROT_NONE resident: %s", resident(n, 1));
    SAY("mlockall bad flags", mlockall(0));
    SAY("mlockall unknown flag", mlockall(MCL_CURRENT | 0x100));
    SAY("mlockall(MCL_CURRENT|MCL_FUTURE)", mlockall(MCL_CURRENT | MCL_FUTURE));
    char *q = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("new mapping under MCL_FUTURE: %s", resident(q, 2));
    SAY("munlockall", munlockall());
    char *r = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("after munlockall: %s", resident(r, 2));
    return 0;
}
