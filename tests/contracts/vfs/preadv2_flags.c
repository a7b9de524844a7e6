/* preadv2/pwritev2: offset -1 means the file position (used and
 * advanced), the RWF_* flags tmpfs accepts, RWF_APPEND and RWF_NOAPPEND,
 * unknown flags, and RWF_NOWAIT on a pipe with nothing to read. */
#include "contract.h"
#include "vfs.h"

static char buf[64];
static volatile int sigpipes;

static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static long rd(int fd, off_t off, int flags, size_t n)
{
    memset(buf, 0, sizeof buf);
    struct iovec iov = {buf, n};
    return preadv2_(fd, &iov, 1, off, flags);
}

static long wr(int fd, const char *s, off_t off, int flags)
{
    struct iovec iov = {(void *)s, strlen(s)};
    return pwritev2_(fd, &iov, 1, off, flags);
}

int main(void)
{
    make_file("f", "0123456789", 0644);
    int fd = open("f", O_RDWR);
    SAY("preadv2 at 2", rd(fd, 2, 0, 3));
    say("got \"%s\", position %ld", buf, (long)lseek(fd, 0, SEEK_CUR));
    SAY("preadv2 at -1", rd(fd, -1, 0, 3));
    say("got \"%s\", position %ld", buf, (long)lseek(fd, 0, SEEK_CUR));
    SAY("preadv2 at -1 again", rd(fd, -1, 0, 3));
    say("got \"%s\", position %ld", buf, (long)lseek(fd, 0, SEEK_CUR));
    SAY("preadv2 at -2", rd(fd, -2, 0, 3));
    SAY("RWF_HIPRI", rd(fd, 0, RWF_HIPRI, 2));
    SAY("RWF_DSYNC read", rd(fd, 0, RWF_DSYNC, 2));
    SAY("RWF_SYNC read", rd(fd, 0, RWF_SYNC, 2));
    SAY("RWF_NOWAIT read on tmpfs", rd(fd, 0, RWF_NOWAIT, 2));
    SAY("RWF_APPEND on a read", rd(fd, 0, RWF_APPEND, 2));
    SAY("unknown flag 0x200", rd(fd, 0, 0x200, 2));
    SAY("RWF_ATOMIC read", rd(fd, 0, 0x40, 2));
    SAY("RWF_DONTCACHE read", rd(fd, 0, 0x80, 2));
    SAY("RWF_NOSIGNAL read", rd(fd, 0, 0x100, 2));
    SAY("flag bit 31", rd(fd, 0, (int)0x80000000, 2));

    SAY("pwritev2 at -1", wr(fd, "ab", -1, 0));
    SAY("position", lseek(fd, 0, SEEK_CUR));
    SAY("pwritev2 RWF_DSYNC", wr(fd, "cd", 0, RWF_DSYNC));
    SAY("pwritev2 RWF_SYNC", wr(fd, "ef", 2, RWF_SYNC));
    SAY("pwritev2 RWF_HIPRI", wr(fd, "gh", 4, RWF_HIPRI));
    SAY("pwritev2 RWF_NOWAIT on tmpfs", wr(fd, "ij", 6, RWF_NOWAIT));
    SAY("pwritev2 RWF_APPEND at 0", wr(fd, "KL", 0, RWF_APPEND));
    SAY("position after RWF_APPEND at 0", lseek(fd, 0, SEEK_CUR));
    SAY("pwritev2 RWF_APPEND at -1", wr(fd, "MN", -1, RWF_APPEND));
    SAY("position after RWF_APPEND at -1", lseek(fd, 0, SEEK_CUR));
    SAY("RWF_APPEND|RWF_NOAPPEND", wr(fd, "x", 0, RWF_APPEND | RWF_NOAPPEND));
    rd(fd, 0, 0, 63);
    say("content \"%s\"", buf);

    int afd = open("f", O_RDWR | O_APPEND);
    SAY("O_APPEND, pwritev2 at 0", wr(afd, "PQ", 0, 0));
    SAY("O_APPEND, RWF_NOAPPEND at 0", wr(afd, "RS", 0, RWF_NOAPPEND));
    SAY("O_APPEND, RWF_NOAPPEND at -1", wr(afd, "TU", -1, RWF_NOAPPEND));
    SAY("position", lseek(afd, 0, SEEK_CUR));
    rd(fd, 0, 0, 63);
    say("content \"%s\"", buf);
    SAY("read-only fd, pwritev2", wr(open("f", O_RDONLY), "x", 0, 0));

    int p[2];
    pipe(p);
    SAY("pipe, preadv2 at 0", rd(p[0], 0, 0, 1));
    SAY("pipe, preadv2 at -1 RWF_NOWAIT (empty)", rd(p[0], -1, RWF_NOWAIT, 1));
    write(p[1], "z", 1);
    SAY("pipe, preadv2 at -1 RWF_NOWAIT (data)", rd(p[0], -1, RWF_NOWAIT, 1));
    SAY("pipe, pwritev2 at -1", wr(p[1], "yy", -1, 0));
    SAY("pipe, pwritev2 at -1 RWF_NOWAIT", wr(p[1], "yy", -1, RWF_NOWAIT));
    SAY("pipe, preadv2 at -1", rd(p[0], -1, 0, 10));
    signal(SIGPIPE, on_sigpipe);
    close(p[0]);
    SAY("no reader, RWF_NOSIGNAL", wr(p[1], "x", -1, 0x100));
    say("SIGPIPEs: %d", sigpipes);
    SAY("no reader, no flags", wr(p[1], "x", -1, 0));
    say("SIGPIPEs: %d", sigpipes);
    return 0;
}
