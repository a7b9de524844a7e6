/* FIONREAD counts the bytes queued, on either end, through partial reads
 * and packet boundaries. */
#include "contract.h"
#include "../events/events.h"
#include <sys/ioctl.h>

static int queued(int fd)
{
    int n = -1;
    if (ioctl(fd, FIONREAD, &n) < 0)
        return -errno;
    return n;
}

int main(void)
{
    int p[2];
    pipe(p);
    say("empty: %d", queued(p[0]));
    static char buf[10000];
    write(p[1], buf, 10000);
    say("after 10000: %d (write end %d)", queued(p[0]), queued(p[1]));
    read(p[0], buf, 4100);
    say("after reading 4100: %d", queued(p[0]));
    write(p[1], buf, 7);
    say("after 7 more: %d", queued(p[0]));
    close(p[1]);
    say("writer closed: %d", queued(p[0]));
    SAY("FIONREAD to a bad address", ioctl(p[0], FIONREAD, (int *)8));
    SAY("unknown ioctl", ioctl(p[0], 0x5401 /* TCGETS */, buf));
    return 0;
}
