/* close_range(2): ranges, CLOSE_RANGE_CLOEXEC, CLOSE_RANGE_UNSHARE, and
 * the errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/syscall.h>

static long cr(unsigned a, unsigned b, unsigned f) { return syscall(SYS_close_range, a, b, f); }

static int open_count(int from, int to)
{
    int n = 0;
    for (int fd = from; fd <= to; fd++)
        n += fcntl(fd, F_GETFD) >= 0;
    return n;
}

int main(void)
{
    for (int i = 10; i < 20; i++)
        dup2(1, i);
    SAY("close 12..14", cr(12, 14, 0));
    say("open in 10..19: %d", open_count(10, 19));
    SAY("first > last", cr(15, 12, 0));
    SAY("bad flags", cr(10, 11, 0x10));
    SAY("cloexec 15..17", cr(15, 17, 4));
    say("cloexec %d %d %d, 18: %d", fcntl(15, F_GETFD), fcntl(16, F_GETFD), fcntl(17, F_GETFD), fcntl(18, F_GETFD));
    SAY("unshare 18..~0", cr(18, ~0U, 2));
    say("open in 10..19: %d", open_count(10, 19));
    SAY("empty range past the end", cr(500, 600, 0));
    SAY("unshare|cloexec", cr(10, 11, 6));
    say("cloexec 10 %d", fcntl(10, F_GETFD));
    return 0;
}
