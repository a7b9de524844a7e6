/* munmap of part of a mapping: the head, the tail, a hole in the middle;
 * the remaining pieces keep their data and rights, and their pages are
 * where they were (a file mapping's pieces still show the right offsets). */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 10 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (int i = 0; i < 10; i++)
        p[i * PG] = 'a' + i;
    SAY("unmap head", munmap(p, 2 * PG));
    SAY("unmap tail", munmap(p + 8 * PG, 2 * PG));
    SAY("unmap middle", munmap(p + 4 * PG, 2 * PG));
    for (int i = 0; i < 10; i++)
        say("page %d: %s", i, probe_read(p + i * PG));
    say("survivor writable: %s", probe_write(p + 7 * PG + 1, 1));
    /* The same on a shared file mapping. */
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (int i = 0; i < 6; i++) {
        char b[4096];
        memset(b, '0' + i, sizeof b);
        write(fd, b, sizeof b);
    }
    char *f = mmap(0, 6 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    SAY("unmap file middle", munmap(f + 2 * PG, 2 * PG));
    say("file pages: %c %c %s %c %c", f[0], f[PG], probe_read(f + 2 * PG), f[4 * PG], f[5 * PG]);
    f[5 * PG] = 'T';
    char c;
    pread(fd, &c, 1, 5 * PG);
    say("store through the tail piece reaches offset 5 pages: %c", c);
    /* An unaligned length is rounded up to whole pages. */
    char *q = map_at(PLAYGROUND + 64 * PG, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("unmap 1 byte", munmap(q, 1));
    say("first page gone: %s", probe_read(q));
    say("second page kept: %s", probe_read(q + PG));
    SAY("unmap PG+1 bytes", munmap(q + PG, PG + 1));
    say("third page gone: %s", probe_read(q + 2 * PG));
    return 0;
}
