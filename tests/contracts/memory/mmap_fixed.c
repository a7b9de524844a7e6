/* MAP_FIXED replaces whatever was mapped in its range (the old pages are
 * gone, the neighbours untouched); MAP_FIXED_NOREPLACE fails with EEXIST
 * on any overlap and maps exactly when the range is free. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *p = map_at(PLAYGROUND, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    say("at the playground: %d", p == PLAYGROUND);
    memset(p, 'o', 8 * PG);
    char *q = mmap(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    say("MAP_FIXED over it: exact address %d", q == p + 2 * PG);
    say("replaced pages read zero: %d %d", p[2 * PG], p[4 * PG - 1]);
    say("neighbours keep data: %c %c", p[2 * PG - 1], p[4 * PG]);
    q = mmap(p + 6 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    say("MAP_FIXED across the end: %d", q == p + 6 * PG);
    say("new part is read-only: %s", probe_write(p + 7 * PG, 1));
    say("part beyond the old end: %s", probe_read(p + 9 * PG));
    errno = 0;
    q = mmap(p + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("NOREPLACE on a mapped page: %s", q == MAP_FAILED ? errname(errno) : "mapped");
    q = mmap(p - PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("NOREPLACE overlapping the start: %s", q == MAP_FAILED ? errname(errno) : "mapped");
    say("old page still there: %c", p[4 * PG]);
    q = mmap(p - 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("NOREPLACE just below: %s", q == p - 2 * PG ? "exact" : q == MAP_FAILED ? errname(errno) : "elsewhere");
    errno = 0;
    q = mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    say("MAP_FIXED unaligned: %s", q == MAP_FAILED ? errname(errno) : "mapped");
    q = mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("NOREPLACE unaligned: %s", q == MAP_FAILED ? errname(errno) : "mapped");
    q = mmap((void *)0x7ffffffff000UL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    say("MAP_FIXED past the user space end: %s", q == MAP_FAILED ? errname(errno) : "mapped");
    return 0;
}
