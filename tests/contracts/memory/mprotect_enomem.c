/* mprotect over a range with unmapped pages fails with ENOMEM. As Linux
 * walks the range in order, the mappings before the first hole are
 * changed anyway; a range starting in a hole changes nothing. A shared
 * mapping of a read-only descriptor cannot be made writable (EACCES). */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    char *q = map_at(PLAYGROUND + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    say("mapped: %d", p != MAP_FAILED && q != MAP_FAILED);
    SAY("across the hole", mprotect(p, 5 * PG, PROT_READ));
    say("page 0 (before the hole) store: %s", probe_write(p, 1));
    say("page 1 (before the hole) store: %s", probe_write(p + PG, 1));
    say("page 3 (after the hole) store: %s", probe_write(q, 1));
    SAY("starting in the hole", mprotect(p + 2 * PG, 3 * PG, PROT_NONE));
    say("page 3 after: %s", probe_write(q, 2));
    SAY("running past the end", mprotect(q, 4 * PG, PROT_READ));
    say("page 4 store: %s", probe_write(q + PG, 1));
    SAY("nothing mapped", mprotect(PLAYGROUND + 64 * PG, PG, PROT_READ));
    SAY("kernel address", mprotect((void *)0xffff800000000000UL, PG, PROT_READ));

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, PG);
    int ro = open("f", O_RDONLY);
    char *s = mmap(0, PG, PROT_READ, MAP_SHARED, ro, 0);
    SAY("shared read-only descriptor to writable", mprotect(s, PG, PROT_READ | PROT_WRITE));
    say("still read-only: %s", probe_write(s, 1));
    char *v = mmap(0, PG, PROT_READ, MAP_PRIVATE, ro, 0);
    SAY("private read-only descriptor to writable", mprotect(v, PG, PROT_READ | PROT_WRITE));
    say("private store: %s", probe_write(v, 'v'));
    char c = 0;
    pread(fd, &c, 1, 0);
    say("file unchanged: %d", c);
    char *w = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);
    SAY("shared read-write descriptor to writable", mprotect(w, PG, PROT_READ | PROT_WRITE));
    say("shared store: %s", probe_write(w, 'w'));
    pread(fd, &c, 1, 0);
    say("file sees it: %c", c);
    return 0;
}
