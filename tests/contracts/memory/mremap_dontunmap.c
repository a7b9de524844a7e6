/* MREMAP_DONTUNMAP (with MREMAP_MAYMOVE, same size) moves the pages of a
 * private anonymous mapping to a new place and leaves the old range
 * mapped but empty: it reads as zero-filled memory again. */
#include "contract.h"
#include "memprobe.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (int i = 0; i < 4; i++)
        p[i * PG] = 'a' + i;
    char *q = mremap(p, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    say("moved: %d", q != MAP_FAILED && q != p);
    say("new has data: %c %c %c %c", q[0], q[PG], q[2 * PG], q[3 * PG]);
    say("old still mapped, resident: %s", resident(p, 4));
    say("old reads zero: %s", probe_read(p + PG));
    say("old writable: %s", probe_write(p + 2 * PG, 'x'));
    say("new unaffected: %c", q[2 * PG]);
    char *t = PLAYGROUND + 64 * PG;
    char *r = mremap(q, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, t);
    say("with MREMAP_FIXED: %d", r == t);
    say("data: %c", t[3 * PG]);
    errno = 0;
    r = mremap(t, 4 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    say("different size: %s", r == MAP_FAILED ? errname(errno) : "moved");
    errno = 0;
    r = mremap(t, 4 * PG, 4 * PG, MREMAP_DONTUNMAP);
    say("without MAYMOVE: %s", r == MAP_FAILED ? errname(errno) : "moved");
    return 0;
}
