/* lseek SEEK_DATA/SEEK_HOLE on sparse tmpfs files: data and holes at page
 * granularity, the implicit hole at EOF, ENXIO at or past EOF, and
 * descriptors that cannot seek. */
#include "contract.h"
#include "vfs.h"

static void probe(int fd, off_t off)
{
    errno = 0;
    off_t d = lseek(fd, off, SEEK_DATA);
    const char *de = d < 0 ? errname(errno) : NULL;
    errno = 0;
    off_t h = lseek(fd, off, SEEK_HOLE);
    const char *he = h < 0 ? errname(errno) : NULL;
    char ds[24], hs[24];
    snprintf(ds, sizeof ds, "%ld", (long)d);
    snprintf(hs, sizeof hs, "%ld", (long)h);
    say("at %ld: data %s, hole %s", (long)off, de ? de : ds, he ? he : hs);
}

int main(void)
{
    int fd = open("sparse", O_CREAT | O_RDWR, 0644);
    pwrite(fd, "a", 1, 100);           /* page 0 */
    pwrite(fd, "b", 1, 5 * 4096 + 7);  /* page 5 */
    pwrite(fd, "c", 1, 6 * 4096);      /* page 6 */
    ftruncate(fd, 10 * 4096 + 10);
    off_t offs[] = {0, 50, 4095, 4096, 8000, 5 * 4096, 5 * 4096 + 100, 6 * 4096 + 1, 7 * 4096, 10 * 4096, 10 * 4096 + 9, 10 * 4096 + 10, 10 * 4096 + 11, -1};
    for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++)
        probe(fd, offs[i]);
    SAY("position after the probes", lseek(fd, 0, SEEK_CUR));

    int empty = open("empty", O_CREAT | O_RDWR, 0644);
    probe(empty, 0);
    int hole = open("hole", O_CREAT | O_RDWR, 0644);
    ftruncate(hole, 3 * 4096);
    probe(hole, 0);
    probe(hole, 4096);
    int full = open("full", O_CREAT | O_RDWR, 0644);
    char page[4096] = {1};
    write(full, page, 4096);
    write(full, page, 100);
    probe(full, 0);
    probe(full, 4100);

    int p[2];
    pipe(p);
    SAY("SEEK_DATA on a pipe", lseek(p[0], 0, SEEK_DATA));
    SAY("SEEK_HOLE on a directory", lseek(open(".", O_RDONLY), 0, SEEK_HOLE));
    SAY("whence 5", lseek(fd, 0, 5));
    return 0;
}
