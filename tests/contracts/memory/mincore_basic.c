/* mincore reports which pages are resident: anonymous pages once touched
 * (read or write), not before and not after MADV_DONTNEED; file pages
 * that are in the page cache even if this mapping never touched them.
 * ENOMEM for unmapped pages, EINVAL for an unaligned address, EFAULT for
 * a bad vector. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    say("untouched: %s", resident(p, 8));
    p[0] = 1;
    p[3 * PG + 9] = 1;
    (void)*(volatile char *)(p + 5 * PG);
    say("written 0 and 3, read 5: %s", resident(p, 8));
    madvise(p + 3 * PG, PG, MADV_DONTNEED);
    say("after DONTNEED of 3: %s", resident(p, 8));
    unsigned char v[8];
    SAY("unaligned address", mincore(p + 1, PG, v));
    SAY("unaligned length (rounds up)", mincore(p, 100, v));
    say("vector[0]: %d", v[0] & 1);
    SAY("length 0", mincore(p, 0, v));
    SAY("unmapped", mincore(PLAYGROUND + 64 * PG, PG, v));
    SAY("running past the mapping", mincore(p, 9 * PG, v));
    SAY("bad vector", mincore(p, PG, (unsigned char *)8));
    SAY("kernel address", mincore((void *)0xffff800000000000UL, PG, v));
    SAY("PROT_NONE after mprotect", (mprotect(p + 6 * PG, PG, PROT_NONE), mincore(p + 6 * PG, PG, v)));

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    write(fd, buf, sizeof buf);
    write(fd, buf, sizeof buf);
    char *f = mmap(0, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
    say("file mapping, untouched, two cached pages then past EOF: %s", resident(f, 4));
    char *g = mmap(0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    say("private file mapping of cached pages: %s", resident(g, 2));
    return 0;
}
