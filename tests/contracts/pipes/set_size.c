/* F_SETPIPE_SZ: sizes round up to a power-of-two number of pages, the
 * result is the new size, shrinking below the content is EBUSY, and the
 * new capacity is what a non-blocking fill reaches. */
#include "contract.h"
#include "../events/events.h"

static long fill(int w)
{
    static char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = write(w, buf, sizeof buf)) > 0)
        total += n;
    return total;
}

int main(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    SAY("set 0", fcntl(p[1], F_SETPIPE_SZ, 0));
    SAY("set 1", fcntl(p[1], F_SETPIPE_SZ, 1));
    SAY("set 4096", fcntl(p[1], F_SETPIPE_SZ, 4096));
    SAY("set 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
    SAY("set 65537", fcntl(p[0], F_SETPIPE_SZ, 65537));
    SAY("get", fcntl(p[1], F_GETPIPE_SZ));
    SAY("set 2^31 + 1", fcntl(p[1], F_SETPIPE_SZ, (1u << 31) + 1));
    SAY("set 1 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
    SAY("set 8192", fcntl(p[1], F_SETPIPE_SZ, 8192));
    say("fill: %ld", fill(p[1]));
    SAY("shrink to 4096 with two pages queued", fcntl(p[1], F_SETPIPE_SZ, 4096));
    SAY("get after EBUSY", fcntl(p[1], F_GETPIPE_SZ));
    char b[4096];
    read(p[0], b, sizeof b);
    SAY("shrink to 4096 with one page queued", fcntl(p[1], F_SETPIPE_SZ, 4096));
    read(p[0], b, sizeof b);
    SAY("grow to 16384 when empty", fcntl(p[1], F_SETPIPE_SZ, 16384));
    say("fill: %ld", fill(p[1]));
    int fd = open("f", O_CREAT | O_RDWR, 0600);
    SAY("F_GETPIPE_SZ on a regular file", fcntl(fd, F_GETPIPE_SZ));
    SAY("F_SETPIPE_SZ on a regular file", fcntl(fd, F_SETPIPE_SZ, 4096));
    OK("mkfifo", mkfifo("fifo", 0600));
    int fr = open("fifo", O_RDWR);
    SAY("F_GETPIPE_SZ on a FIFO", fcntl(fr, F_GETPIPE_SZ));
    SAY("F_SETPIPE_SZ on a FIFO", fcntl(fr, F_SETPIPE_SZ, 10000));
    int fr2 = open("fifo", O_RDONLY | O_NONBLOCK);
    SAY("seen through a second open of the FIFO", fcntl(fr2, F_GETPIPE_SZ));
    return 0;
}
