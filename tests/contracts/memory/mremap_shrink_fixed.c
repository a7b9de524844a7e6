/* mremap shrinking stays in place and unmaps the tail; MREMAP_FIXED moves
 * the mapping to a chosen address, replacing what was there. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *p = map_at(PLAYGROUND, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (int i = 0; i < 8; i++)
        p[i * PG] = 'a' + i;
    char *q = mremap(p, 8 * PG, 3 * PG, 0);
    say("shrunk in place: %d", q == p);
    say("kept: %c %c %c", p[0], p[PG], p[2 * PG]);
    say("tail gone: %s", probe_read(p + 3 * PG));
    say("last old page gone: %s", probe_read(p + 7 * PG));
    q = mremap(p, 3 * PG, 3 * PG, 0);
    say("same size: %d", q == p);
    /* An unaligned new size rounds up to whole pages (3 here). */
    q = mremap(p, 3 * PG, 2 * PG + 1, 0);
    say("unaligned new size: %d", q == p);
    say("third page kept: %s", probe_read(p + 2 * PG));
    q = mremap(p, 3 * PG, 2 * PG, 0);
    say("shrink to two pages: %d", q == p);
    say("third page gone: %s", probe_read(p + 2 * PG));
    say("second page kept: %s", probe_read(p + PG));

    char *target = PLAYGROUND + 64 * PG;
    char *old = map_at(target, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    say("target occupied: %d", old == target);
    q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    say("MREMAP_FIXED to target: %d", q == target);
    say("moved data: %c %c", target[0], target[PG]);
    say("writable (rights moved): %s", probe_write(target, 'z'));
    say("old target pages beyond replaced: %s", probe_read(target + 3 * PG));
    say("source gone: %s", probe_read(p));
    /* FIXED with a new size. */
    char *t2 = PLAYGROUND + 128 * PG;
    q = mremap(target, 2 * PG, 5 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t2);
    say("FIXED and grow: %d", q == t2);
    say("data: %c %c", t2[0], t2[PG]);
    say("grown part: %s", probe_read(t2 + 4 * PG));
    q = mremap(t2, 5 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, PLAYGROUND + 256 * PG);
    say("FIXED and shrink: %d", q == PLAYGROUND + 256 * PG);
    say("data: %c %c", q[0], q[PG]);
    say("beyond: %s", probe_read(q + 2 * PG));
    return 0;
}
