/* Without MAP_FIXED the address is a hint: a free page-aligned hint is
 * used exactly, an unaligned one is rounded down to a page, and an occupied
 * one is ignored in favour of a free range (never overlapping). */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *want = PLAYGROUND;
    char *p = mmap(want, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("free hint used: %d", p == want);
    char *q = mmap(want + PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("occupied hint: mapped %d, exact %d", q != MAP_FAILED, q == want + PG);
    say("no overlap: %d", q + 2 * PG <= p || q >= p + 4 * PG);
    char *u = mmap(want + 16 * PG + 100, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("unaligned hint rounded down: %d", u == want + 16 * PG);
    char *r = mmap((void *)PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("hint below mmap_min_addr: mapped %d, exact %d", r != MAP_FAILED, r == (void *)PG);
    char *t = mmap((void *)0x7ffffffff000UL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("hint past the end of user space: mapped %d", t != MAP_FAILED);
    /* A hint just big enough gap: between two mappings. */
    char *a = map_at(want + 64 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    char *b = map_at(want + 67 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    char *g = mmap(want + 65 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("hint into an exact-fit gap: %d", a != MAP_FAILED && b != MAP_FAILED && g == want + 65 * PG);
    char *h = mmap(want + 66 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("hint overlapping by one page moved: %d", h != want + 67 * PG);
    return 0;
}
