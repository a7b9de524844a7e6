/* madvise: the performance hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED)
 * are accepted and change no data; unknown advice and an unaligned
 * address are EINVAL; a range with unmapped pages is ENOMEM; a zero
 * length is a no-op. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    strcpy(p, "data");
    SAY("MADV_NORMAL", madvise(p, 4 * PG, MADV_NORMAL));
    SAY("MADV_RANDOM", madvise(p, 4 * PG, MADV_RANDOM));
    SAY("MADV_SEQUENTIAL", madvise(p, 4 * PG, MADV_SEQUENTIAL));
    SAY("MADV_WILLNEED", madvise(p, 4 * PG, MADV_WILLNEED));
    SAY("MADV_WILLNEED unaligned length", madvise(p, 100, MADV_WILLNEED));
    say("data kept: %s", p);
    SAY("unknown advice 999", madvise(p, PG, 999));
    SAY("unknown advice -1", madvise(p, PG, -1));
    SAY("unknown advice 5", madvise(p, PG, 5));
    SAY("unaligned address", madvise(p + 1, PG, MADV_NORMAL));
    SAY("length 0", madvise(p, 0, MADV_NORMAL));
    SAY("length 0 unmapped", madvise(PLAYGROUND + 64 * PG, 0, MADV_DONTNEED));
    SAY("unmapped range", madvise(PLAYGROUND + 64 * PG, PG, MADV_NORMAL));
    SAY("unmapped range DONTNEED", madvise(PLAYGROUND + 64 * PG, PG, MADV_DONTNEED));
    SAY("running past the mapping", madvise(p, 8 * PG, MADV_WILLNEED));
    SAY("running past the mapping DONTNEED", madvise(p + 3 * PG, 2 * PG, MADV_DONTNEED));
    say("page 3 dropped anyway: %d", p[3 * PG]);
    say("page 0 intact: %s", p);
    SAY("kernel address", madvise((void *)0xffff800000000000UL, PG, MADV_NORMAL));
    return 0;
}
