/* mremap's errors (mremap(2)): unaligned old address, zero new size,
 * unknown flags, MREMAP_FIXED without MREMAP_MAYMOVE, overlapping source
 * and target, an old address with nothing mapped (EFAULT), an old range
 * running past its mapping when growing (EFAULT), no room to grow
 * (ENOMEM). */
#include "contract.h"
#include "memprobe.h"

static void show(const char *label, void *r)
{
    say("%s: %s", label, r == MAP_FAILED ? errname(errno) : "ok");
}

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    char *n = map_at(PLAYGROUND + 4 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    say("two adjacent mappings: %d", p != MAP_FAILED && n != MAP_FAILED);
    errno = 0; show("unaligned old address", mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE));
    errno = 0; show("new size 0", mremap(p, PG, 0, MREMAP_MAYMOVE));
    errno = 0; show("unknown flag", mremap(p, PG, 2 * PG, 0x100));
    errno = 0; show("FIXED without MAYMOVE", mremap(p, PG, PG, MREMAP_FIXED, PLAYGROUND + 64 * PG));
    errno = 0; show("FIXED target unaligned", mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, PLAYGROUND + 64 * PG + 1));
    errno = 0; show("FIXED onto itself (overlap)", mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG));
    errno = 0; show("nothing mapped at old address", mremap(PLAYGROUND + 64 * PG, PG, 2 * PG, MREMAP_MAYMOVE));
    errno = 0; show("nothing mapped, shrink", mremap(PLAYGROUND + 64 * PG, 2 * PG, PG, 0));
    errno = 0; show("grow across two mappings", mremap(p, 8 * PG, 16 * PG, MREMAP_MAYMOVE));
    errno = 0; show("grow blocked without MAYMOVE", mremap(p, 4 * PG, 8 * PG, 0));
    errno = 0; show("old size 0 on a private mapping", mremap(p, 0, PG, MREMAP_MAYMOVE));
    errno = 0; show("new size beyond user space", mremap(p, 4 * PG, (size_t)1 << 48, MREMAP_MAYMOVE));
    errno = 0; show("FIXED target in kernel space", mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)0xffff800000000000UL));
    say("mapping intact: %s", probe_write(p + 3 * PG, 1));
    /* Old size 0 on a shared mapping makes a second mapping of it. */
    char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 'S';
    char *d = mremap(s, 0, PG, MREMAP_MAYMOVE);
    say("old size 0 on a shared mapping: %s", d == MAP_FAILED ? errname(errno) : "ok");
    if (d != MAP_FAILED) {
        say("duplicate sees the data: %c", d[0]);
        d[0] = 'D';
        say("original sees the duplicate's store: %c", s[0]);
    }
    return 0;
}
