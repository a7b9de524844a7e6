/* splice between two pipes, tee and vmsplice: what moves, what stays,
 * non-blocking cases, EOF, a pipe with no reader, and the EINVAL/EBADF
 * rules. */
#include "contract.h"
#include "vfs.h"
#include <sys/ioctl.h>

static int queued(int fd)
{
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    return n;
}

static void drain(const char *label, int fd)
{
    char buf[64] = {0};
    int n = read(fd, buf, sizeof buf - 1);
    say("%s: read %d \"%s\"", label, n, n > 0 ? buf : "");
}

int main(void)
{
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "hello", 5);
    write(a[1], "world", 5);
    SAY("pipe -> pipe, len 7", splice_(a[0], NULL, b[1], NULL, 7, 0));
    say("queued: a %d, b %d", queued(a[0]), queued(b[0]));
    SAY("pipe -> pipe, len 100", splice_(a[0], NULL, b[1], NULL, 100, 0));
    drain("b", b[0]);
    SAY("empty, SPLICE_F_NONBLOCK", splice_(a[0], NULL, b[1], NULL, 5, SPLICE_F_NONBLOCK));
    fcntl(b[1], F_SETFL, O_NONBLOCK);
    SAY("empty, output O_NONBLOCK", splice_(a[0], NULL, b[1], NULL, 5, 0));
    fcntl(b[1], F_SETFL, 0);
    SAY("same pipe", splice_(a[0], NULL, a[1], NULL, 5, 0));

    write(a[1], "teedata", 7);
    SAY("tee len 3", tee_(a[0], b[1], 3, 0));
    SAY("tee len 100", tee_(a[0], b[1], 100, 0));
    say("queued: a %d, b %d", queued(a[0]), queued(b[0]));
    drain("b", b[0]);
    drain("a", a[0]);
    SAY("tee from an empty pipe, NONBLOCK", tee_(a[0], b[1], 5, SPLICE_F_NONBLOCK));
    SAY("tee same pipe", tee_(a[0], a[1], 5, 0));
    SAY("tee unknown flag", tee_(a[0], b[1], 5, 0x10));
    SAY("tee len 0", tee_(a[0], b[1], 0, 0));
    make_file("f", "x", 0644);
    SAY("tee from a file", tee_(open("f", O_RDONLY), b[1], 5, 0));
    SAY("tee from the write end", tee_(a[1], b[1], 5, 0));
    SAY("tee bad fd", tee_(99, b[1], 5, 0));

    struct iovec iov[2] = {{"vm", 2}, {"splice", 6}};
    SAY("vmsplice into a pipe", vmsplice_(a[1], iov, 2, 0));
    say("queued: a %d", queued(a[0]));
    char x[4] = {0}, y[16] = {0};
    struct iovec out[2] = {{x, 3}, {y, 15}};
    SAY("vmsplice out of a pipe", vmsplice_(a[0], out, 2, 0));
    say("got \"%s\" \"%s\"", x, y);
    SAY("vmsplice out of an empty pipe, NONBLOCK", vmsplice_(a[0], out, 2, SPLICE_F_NONBLOCK));
    SAY("vmsplice unknown flag", vmsplice_(a[1], iov, 2, 0x10));
    SAY("vmsplice zero segments", vmsplice_(a[1], iov, 0, 0));
    SAY("vmsplice into a file", vmsplice_(open("f", O_RDWR), iov, 2, 0));
    SAY("vmsplice bad iovec", vmsplice_(a[1], (struct iovec *)8, 1, 0));
    SAY("vmsplice GIFT accepted", vmsplice_(a[1], iov, 1, SPLICE_F_GIFT));
    drain("a", a[0]);

    int c[2];
    pipe(c);
    close(c[1]);
    SAY("pipe with no writer -> pipe", splice_(c[0], NULL, b[1], NULL, 5, 0));
    SAY("tee from a pipe with no writer", tee_(c[0], b[1], 5, 0));
    signal(SIGPIPE, SIG_IGN);
    write(a[1], "z", 1);
    close(b[0]);
    SAY("pipe -> pipe with no reader", splice_(a[0], NULL, b[1], NULL, 5, 0));
    SAY("tee -> pipe with no reader", tee_(a[0], b[1], 5, 0));
    SAY("vmsplice -> pipe with no reader", vmsplice_(b[1], iov, 2, 0));
    say("queued: a %d", queued(a[0]));
    return 0;
}
