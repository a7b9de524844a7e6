/* munmap of ranges with nothing mapped succeeds (returns 0); an unaligned
 * address, a zero length or a range outside user space is EINVAL; a range
 * covering several mappings and the holes between removes them all. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    SAY("nothing mapped there", munmap(PLAYGROUND, 16 * PG));
    SAY("unaligned address", munmap(PLAYGROUND + 1, PG));
    SAY("length 0", munmap(PLAYGROUND, 0));
    SAY("address 0, one page", munmap(0, PG));
    SAY("kernel address", munmap((void *)0xffff800000000000UL, PG));
    SAY("running past the end of user space", munmap((void *)0x7ffffffff000UL, 4 * PG));
    SAY("huge length", munmap(PLAYGROUND, (size_t)-4096));
    char *a = map_at(PLAYGROUND, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    char *b = map_at(PLAYGROUND + 4 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    char *c = map_at(PLAYGROUND + 8 * PG, 2 * PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS);
    say("three mappings: %d", a != MAP_FAILED && b != MAP_FAILED && c != MAP_FAILED);
    SAY("one call across all and the holes", munmap(PLAYGROUND + PG, 8 * PG));
    say("page 0 kept: %s", probe_read(a));
    say("page 1 gone: %s", probe_read(a + PG));
    say("page 5 gone: %s", probe_read(b + PG));
    say("page 8 gone: %s", probe_read(c));
    say("page 9 kept: %s", probe_read(c + PG));
    SAY("again (already unmapped)", munmap(PLAYGROUND + PG, 8 * PG));
    return 0;
}
