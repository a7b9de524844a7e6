/* Flow control: a stream writer stops at its send buffer (EAGAIN when
 * non-blocking, POLLOUT gone), a datagram queue of a receiver not
 * connected back holds max_dgram_qlen + 1 datagrams, descriptors in
 * flight are released when the receiving socket closes. */
#include "unixutil.h"

int main(void)
{
    int sv[2];
    static char chunk[1024];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    long total = 0;
    ssize_t n;
    while ((n = write(sv[0], chunk, sizeof chunk)) > 0)
        total += n;
    say("stream full: %s, wrote something %d", errname(errno), total > 0);
    SAY("no POLLOUT when full", revents(sv[0]) & POLLOUT);
    int inq;
    ioctl(sv[1], FIONREAD, &inq);
    say("reader sees it all %d", inq == total);
    char buf[4096];
    while (read(sv[1], buf, sizeof buf) > 0)
        ;
    SAY("POLLOUT after drain", revents(sv[0]) & POLLOUT);
    /* datagram queue limit */
    struct sockaddr_un a;
    socklen_t al = abstract_addr(&a, "flow");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), w = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    bind(r, (struct sockaddr *)&a, al);
    OK("connect", connect(w, (struct sockaddr *)&a, al));
    int sent = 0;
    while (send(w, "x", 1, 0) == 1)
        sent++;
    say("queue holds %d then %s", sent, errname(errno));
    SAY("writer POLLOUT", revents(w) & POLLOUT);
    recv(r, buf, 1, 0);
    SAY("room for one more", send(w, "x", 1, 0));
    SAY("then full", send(w, "x", 1, 0));
    /* a socketpair (connected both ways) has no such limit */
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, d);
    sent = 0;
    while (send(d[0], "x", 1, 0) == 1 && sent < 100)
        sent++;
    say("pair takes %d", sent);
    /* fds in flight are released when the receiver closes */
    int p[2], t[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, t);
    send_fds(t[0], &p[1], 1);
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    SAY("pipe still has a writer in flight", read(p[0], buf, 1));
    close(t[1]);
    SAY("after receiver closes: EOF", read(p[0], buf, 1));
    close(t[0]);
    /* and when the sender's message is never read and both close */
    pipe(p);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, t);
    send_fds(t[0], &p[1], 1);
    close(p[1]);
    close(t[0]);
    close(t[1]);
    SAY("both closed: EOF", read(p[0], buf, 1));
    return 0;
}
