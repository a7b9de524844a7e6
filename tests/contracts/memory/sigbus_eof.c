/* A file mapping beyond end of file: the rest of the last partial page
 * reads as zeros (and stores there do not extend the file), whole pages
 * past EOF raise SIGBUS (BUS_ADRERR); ftruncate shrinking the file makes
 * mapped pages past the new EOF fault with SIGBUS at once, and growing it
 * makes them readable again (zeros). */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[100];
    memset(buf, 'd', sizeof buf);
    write(fd, buf, sizeof buf);
    char *s = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("mapped 4 pages of a 100-byte file: %d", s != MAP_FAILED);
    say("byte 99: %s", probe_read(s + 99));
    say("byte 100: %s", probe_read(s + 100));
    say("last byte of page 0: %s", probe_read(s + PG - 1));
    say("store past EOF in page 0: %s", probe_write(s + 200, 'x'));
    struct stat st;
    fstat(fd, &st);
    say("size still: %ld", (long)st.st_size);
    say("page 1: %s", probe_read(s + PG));
    say("page 3 store: %s", probe_write(s + 3 * PG + 5, 1));

    /* Shrinking the file under a mapping. */
    ftruncate(fd, 3 * PG);
    memset(s, 'e', 3 * PG);
    say("after growing to 3 pages, page 2: %s", probe_read(s + 2 * PG));
    SAY("shrink to 1 page", ftruncate(fd, PG));
    say("page 0 kept: %s", probe_read(s + 5));
    say("page 1 now: %s", probe_read(s + PG));
    say("page 2 now: %s", probe_read(s + 2 * PG + 7));
    SAY("grow back to 3 pages", ftruncate(fd, 3 * PG));
    say("page 2 reads zero: %s", probe_read(s + 2 * PG + 7));
    SAY("shrink to 10 bytes", ftruncate(fd, 10));
    say("byte 9: %s", probe_read(s + 9));
    say("byte 10 (zeroed by truncate): %s", probe_read(s + 10));
    /* A private mapping's own copy beyond EOF goes too. */
    ftruncate(fd, 2 * PG);
    char *p = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[PG] = 'P';
    SAY("shrink to 1 page under a written private page", ftruncate(fd, PG));
    say("private page 1: %s", probe_read(p + PG));
    say("private page 0: %s", probe_read(p));
    /* Mapping at an offset entirely past EOF. */
    char *q = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 8 * PG);
    say("mapping past EOF: %d", q != MAP_FAILED);
    say("its page: %s", probe_read(q));
    /* O_TRUNC at open truncates too. */
    int fd2 = open("f", O_RDWR | O_TRUNC);
    say("after O_TRUNC, page 0: %s", probe_read(s));
    close(fd2);
    return 0;
}
