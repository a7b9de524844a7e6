/* More madvise: MADV_POPULATE_READ/WRITE fault pages in (EFAULT where the
 * access is not allowed, ENOMEM on holes); MADV_FREE works on private
 * anonymous memory only (EINVAL on file or shared mappings) and may drop
 * the data; MADV_DONTNEED_LOCKED drops even locked pages; MADV_REMOVE on
 * private memory is EINVAL. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("POPULATE_READ", madvise(p, 2 * PG, MADV_POPULATE_READ));
    SAY("POPULATE_WRITE", madvise(p + 2 * PG, 2 * PG, MADV_POPULATE_WRITE));
    say("resident: %s", resident(p, 4));
    char *r = map_at(PLAYGROUND + 8 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("POPULATE_WRITE on read-only", madvise(r, 2 * PG, MADV_POPULATE_WRITE));
    SAY("POPULATE_READ on read-only", madvise(r, 2 * PG, MADV_POPULATE_READ));
    char *n = map_at(PLAYGROUND + 12 * PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("POPULATE_READ on PROT_NONE", madvise(n, PG, MADV_POPULATE_READ));
    SAY("POPULATE_READ over a hole", madvise(p, 8 * PG, MADV_POPULATE_READ));

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, PG);
    char *f = mmap(0, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
    SAY("POPULATE_READ past EOF", madvise(f, 3 * PG, MADV_POPULATE_READ));
    SAY("MADV_FREE on a file mapping", madvise(f, PG, MADV_FREE));
    char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    SAY("MADV_FREE on shared memory", madvise(s, PG, MADV_FREE));
    SAY("MADV_FREE on private memory", madvise(p, 4 * PG, MADV_FREE));
    say("after MADV_FREE, writable: %s", probe_write(p, 7));
    say("reads what was stored: %s", probe_read(p));
    SAY("MADV_REMOVE on private memory", madvise(p, PG, MADV_REMOVE));
    SAY("mlock", mlock(p, 4 * PG));
    p[PG] = 9;
    SAY("DONTNEED on locked", madvise(p + PG, PG, MADV_DONTNEED));
    SAY("DONTNEED_LOCKED on locked", madvise(p + PG, PG, MADV_DONTNEED_LOCKED));
    say("dropped: %s", probe_read(p + PG));
    SAY("MS_INVALIDATE on locked", msync(p, PG, MS_INVALIDATE));
    SAY("MS_SYNC on locked", msync(p, PG, MS_SYNC));
    return 0;
}
