/* The heap after mprotect: a heap page made read-only stays read-only
 * when the break grows past it (the growth is new read-write memory), and
 * shrinking the break removes it like any heap page. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>

static char *raw_brk(void *p) { return (char *)syscall(SYS_brk, p); }

int main(void)
{
    char *b0 = raw_brk(0);
    char *base = (char *)(((unsigned long)b0 + PG - 1) & ~(PG - 1));
    say("grow: %d", raw_brk(base + 2 * PG) == base + 2 * PG);
    SAY("top heap page read-only", mprotect(base + PG, PG, PROT_READ));
    say("grow again: %d", raw_brk(base + 4 * PG) == base + 4 * PG);
    say("new heap page writable: %s", probe_write(base + 3 * PG, 1));
    say("read-only page stays: %s", probe_write(base + PG, 1));
    say("page below it writable: %s", probe_write(base, 1));
    say("shrink over it: %d", raw_brk(base) == base);
    say("gone: %s", probe_read(base + PG));
    say("grow once more: %d", raw_brk(base + 2 * PG) == base + 2 * PG);
    say("fresh and writable: %s", probe_write(base + PG, 1));
    return 0;
}
