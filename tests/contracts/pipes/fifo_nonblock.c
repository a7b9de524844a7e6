/* FIFOs opened non-blocking: a lone reader opens at once and reads 0
 * (no writer yet) or EAGAIN (a writer came and is still there), a lone
 * writer gets ENXIO, O_RDWR always opens; poll bits for each. */
#include "contract.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

static int ev(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    poll(&p, 1, 0);
    return p.revents;
}

int main(void)
{
    mkfifo("q", 0600);
    SAY("lone writer", open("q", O_WRONLY | O_NONBLOCK));
    int r = open("q", O_RDONLY | O_NONBLOCK);
    SAY("lone reader", r >= 0);
    char b[4];
    SAY("read with no writer ever", read(r, b, 1));
    SAY("poll reader alone", ev(r));
    int w = open("q", O_WRONLY | O_NONBLOCK);
    SAY("writer with a reader", w >= 0);
    SAY("read empty with a writer", read(r, b, 1));
    SAY("poll reader with writer", ev(r));
    SAY("poll writer", ev(w));
    write(w, "x", 1);
    SAY("read it", read(r, b, 1));
    close(w);
    SAY("read after writer left", read(r, b, 1));
    SAY("poll reader after writer left", ev(r));
    int rw = open("q", O_RDWR | O_NONBLOCK);
    SAY("O_RDWR", rw >= 0);
    SAY("poll O_RDWR", ev(rw));
    close(r);
    close(rw);
    unlink("q");
    SAY("open removed fifo", open("q", O_RDONLY | O_NONBLOCK));
    return 0;
}
