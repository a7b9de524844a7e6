/* MAP_POPULATE faults the pages in at mmap time (mincore shows them
 * resident before any touch); without it an anonymous page is resident
 * only once touched. Populated private file pages show the file. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    char *a = mmap(0, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("plain anonymous: %s", resident(a, 8));
    char *b = mmap(0, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    say("populated anonymous: %s", resident(b, 8));
    say("populated reads zero: %d", b[3 * PG] == 0 && b[8 * PG - 1] == 0);
    char *c = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    say("populated shared anonymous: %s", resident(c, 4));
    char *n = mmap(0, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    say("populated PROT_NONE: %s", resident(n, 4));
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[4096];
    memset(buf, 'f', sizeof buf);
    write(fd, buf, sizeof buf);
    write(fd, buf, sizeof buf);
    char *f = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    say("populated private file: %s", resident(f, 2));
    say("shows the file: %c %c", f[0], f[2 * PG - 1]);
    f[0] = 'x';
    char r;
    pread(fd, &r, 1, 0);
    say("store stays private: %c", r);
    /* Populating a range past EOF is not an error. */
    char *g = mmap(0, 4 * PG, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    say("populate past EOF: %d", g != MAP_FAILED);
    say("past EOF: %s", probe_read(g + 3 * PG));
    return 0;
}
