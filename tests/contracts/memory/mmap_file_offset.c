/* File mappings at an offset show the file from that offset; a store
 * through a shared mapping at an offset lands at the right file offset;
 * a write() that extends the file makes a page that was past EOF (SIGBUS)
 * accessible. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (int i = 0; i < 8; i++) {
        char b[4096];
        memset(b, 'A' + i, sizeof b);
        write(fd, b, sizeof b);
    }
    char *p = mmap(0, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
    say("private at page 2: %c %c %c", p[0], p[PG], p[2 * PG + 4095]);
    char *s = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 5 * PG);
    say("shared at page 5: %c %c", s[0], s[PG]);
    s[PG + 3] = 'z';
    char c;
    pread(fd, &c, 1, 6 * PG + 3);
    say("store lands at page 6: %c", c);
    /* Last page mapped half past EOF. */
    char *t = mmap(0, 2 * PG, PROT_READ, MAP_SHARED, fd, 7 * PG);
    say("page 7: %s", probe_read(t + 100));
    say("page 8 (past EOF): %s", probe_read(t + PG));
    char b[4096];
    memset(b, 'I', sizeof b);
    pwrite(fd, b, 10, 8 * PG);
    say("after write() extends the file, page 8: %s", probe_read(t + PG));
    say("page 8 past the new EOF reads zero: %s", probe_read(t + PG + 10));
    /* The same file twice, at different offsets, shares pages. */
    char *u = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 6 * PG);
    say("second mapping of page 6 sees the store: %c", u[3]);
    return 0;
}
