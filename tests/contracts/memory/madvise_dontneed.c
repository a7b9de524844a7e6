/* MADV_DONTNEED drops pages: private anonymous pages read back as zeros,
 * private file pages read back the file (the private copy is gone), and
 * shared pages keep their content (it lives in the file or the shared
 * object). The mapping itself stays. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    char *a = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 'a', 4 * PG);
    SAY("DONTNEED anonymous, pages 1-2", madvise(a + PG, 2 * PG, MADV_DONTNEED));
    say("page 0: %c  page 1: %d  page 2: %d  page 3: %c", a[0], a[PG], a[2 * PG + 5], a[3 * PG]);
    say("still writable: %s", probe_write(a + PG, 'b'));

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[2 * 4096];
    memset(buf, 'f', sizeof buf);
    write(fd, buf, sizeof buf);
    char *p = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[10] = 'P';
    p[PG + 10] = 'P';
    SAY("DONTNEED private file", madvise(p, 2 * PG, MADV_DONTNEED));
    say("re-reads the file: %c %c", p[10], p[PG + 10]);
    pwrite(fd, "N", 1, 10);
    say("and follows it again: %c", p[10]);

    char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    s[20] = 'S';
    SAY("DONTNEED shared file", madvise(s, PG, MADV_DONTNEED));
    say("shared store kept: %c", s[20]);
    char *sa = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sa[0] = 'Q';
    SAY("DONTNEED shared anonymous", madvise(sa, PG, MADV_DONTNEED));
    say("shared anonymous kept: %c", sa[0]);
    return 0;
}
