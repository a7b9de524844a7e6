/* mremap of shared anonymous memory: growing the mapping does not grow
 * the shared object, so the new pages are beyond its end (SIGBUS), while
 * a moved mapping still shares the object with a second mapping of it. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *s = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 'x';
    char *dup = mremap(s, 0, 2 * PG, MREMAP_MAYMOVE);
    say("duplicate mapping: %d", dup != MAP_FAILED);
    char *g = mremap(s, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
    say("grown: %d", g != MAP_FAILED);
    say("old part: %s", probe_read(g));
    say("grown part: %s", probe_read(g + 2 * PG));
    g[PG] = 'y';
    say("duplicate sees store: %c", dup[PG]);
    return 0;
}
