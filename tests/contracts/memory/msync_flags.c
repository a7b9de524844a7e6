/* msync: MS_SYNC, MS_ASYNC and MS_INVALIDATE succeed on mapped ranges
 * (private or shared, file or anonymous); MS_SYNC|MS_ASYNC, unknown flags
 * and an unaligned address are EINVAL; a range with unmapped pages is
 * ENOMEM; after MS_SYNC the file holds the mapping's stores. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 2 * PG);
    char *s = mmap(PLAYGROUND, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    strcpy(s + PG, "synced");
    SAY("MS_SYNC", msync(s, 2 * PG, MS_SYNC));
    char r[8] = {0};
    pread(fd, r, 6, PG);
    say("file: %s", r);
    SAY("MS_ASYNC", msync(s, 2 * PG, MS_ASYNC));
    SAY("MS_INVALIDATE", msync(s, 2 * PG, MS_INVALIDATE));
    SAY("MS_SYNC|MS_INVALIDATE", msync(s, 2 * PG, MS_SYNC | MS_INVALIDATE));
    say("mapping kept its data after MS_INVALIDATE: %s", s + PG);
    SAY("flags 0", msync(s, PG, 0));
    SAY("MS_SYNC|MS_ASYNC", msync(s, PG, MS_SYNC | MS_ASYNC));
    SAY("unknown flag", msync(s, PG, 8));
    SAY("unaligned address", msync(s + 1, PG, MS_SYNC));
    SAY("unaligned length", msync(s, 100, MS_SYNC));
    SAY("length 0", msync(s, 0, MS_SYNC));
    SAY("running past the mapping", msync(s, 4 * PG, MS_SYNC));
    SAY("nothing mapped", msync(PLAYGROUND + 64 * PG, PG, MS_SYNC));
    SAY("nothing mapped, MS_ASYNC", msync(PLAYGROUND + 64 * PG, PG, MS_ASYNC));
    SAY("nothing mapped, flags 0", msync(PLAYGROUND + 64 * PG, PG, 0));
    /* A hole: the mapped parts are still synced, then ENOMEM. */
    char *t = mmap(PLAYGROUND + 3 * PG, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    say("second mapping after a hole: %d", t == PLAYGROUND + 3 * PG);
    SAY("across the hole", msync(s, 4 * PG, MS_SYNC));
    char *a = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("private anonymous", msync(a, PG, MS_SYNC));
    char *n = mmap(0, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("PROT_NONE", msync(n, PG, MS_SYNC));
    char *pv = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    pv[0] = 'p';
    SAY("private file MS_SYNC", msync(pv, PG, MS_SYNC));
    pread(fd, r, 1, 0);
    say("private store not in the file: %d", r[0]);
    SAY("kernel address", msync((void *)0xffff800000000000UL, PG, MS_SYNC));
    return 0;
}
