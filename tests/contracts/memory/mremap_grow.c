/* mremap growing a mapping: in place when the pages after it are free
 * (same address, data kept, new pages zero); when they are taken, ENOMEM
 * without MREMAP_MAYMOVE and a move with it (data kept, old range
 * unmapped). */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *p = map_at(PLAYGROUND, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    strcpy(p, "first");
    strcpy(p + PG, "second");
    char *q = mremap(p, 2 * PG, 4 * PG, 0);
    say("grown in place: %d", q == p);
    say("data kept: %s %s", q, q + PG);
    say("new pages zero and writable: %s", probe_write(q + 3 * PG + 1, 0));
    say("new page read: %s", probe_read(q + 2 * PG));
    say("beyond the new end: %s", probe_read(q + 4 * PG));
    /* Block growth with a mapping right after. */
    char *blk = map_at(PLAYGROUND + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    say("blocker: %d", blk == PLAYGROUND + 4 * PG);
    errno = 0;
    q = mremap(p, 4 * PG, 8 * PG, 0);
    say("grow when blocked: %s", q == MAP_FAILED ? errname(errno) : "moved?");
    say("still there: %s", p);
    q = mremap(p, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
    say("grow with MAYMOVE: moved %d", q != MAP_FAILED && q != p);
    say("data moved: %s %s", q, q + PG);
    say("rest zero: %s", probe_read(q + 7 * PG));
    say("old range gone: %s", probe_read(p));
    say("blocker kept: %s", probe_read(blk));
    say("no overlap with blocker: %d", q + 8 * PG <= blk || q >= blk + PG);
    /* Many touched pages move with their content. */
    for (int i = 0; i < 8; i++)
        q[i * PG + 7] = 'a' + i;
    char *r = mremap(q, 8 * PG, 64 * PG, MREMAP_MAYMOVE);
    int ok = r != MAP_FAILED;
    for (int i = 0; ok && i < 8; i++)
        ok &= r[i * PG + 7] == 'a' + i;
    say("eight pages carried: %d", ok);
    /* Rights travel with the mapping. */
    mprotect(r, 64 * PG, PROT_READ);
    char *t = mremap(r, 64 * PG, 128 * PG, MREMAP_MAYMOVE);
    say("read-only after move: %s", probe_write(t + 127 * PG, 1));
    say("read ok: %s", probe_read(t + PG + 7));
    return 0;
}
