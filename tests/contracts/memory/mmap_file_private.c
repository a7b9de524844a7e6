/* A MAP_PRIVATE file mapping is copy-on-write: its stores are not seen by
 * read() or by other mappings, while pages it has not written still show
 * later changes made to the file (Linux maps the page cache until the
 * first store). */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[2 * 4096];
    memset(buf, 'a', sizeof buf);
    write(fd, buf, sizeof buf);
    char *p = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *s = mmap(0, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
    say("mapped: %d", p != MAP_FAILED && s != MAP_FAILED);
    say("private shows file: %c", p[100]);
    p[100] = 'P';
    char r = 0;
    pread(fd, &r, 1, 100);
    say("read() after private store: %c", r);
    say("shared mapping after private store: %c", s[100]);
    say("private keeps its store: %c", p[100]);
    pwrite(fd, "W", 1, PG + 7);
    say("untouched private page sees the file's change: %c", p[PG + 7]);
    pwrite(fd, "V", 1, 100);
    say("written private page keeps its copy: %c", p[100]);
    SAY("munmap private", munmap(p, 2 * PG));
    pread(fd, &r, 1, 100);
    say("file after munmap: %c", r);
    /* A private mapping of a read-only descriptor may still be written. */
    int ro = open("f", O_RDONLY);
    char *q = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    say("private writable map of O_RDONLY: %d", q != MAP_FAILED);
    say("store: %s", probe_write(q, 'x'));
    pread(fd, &r, 1, 0);
    say("file unchanged: %c", r);
    return 0;
}
