/* What a peer's close does: end of file after the data, ECONNRESET when
 * the closer left data unread, EPIPE with SIGPIPE or with MSG_NOSIGNAL
 * without it, and a connection queued on a listener that closes. */
#include "unixutil.h"

static volatile int pipes;
static void on_pipe(int s) { (void)s; pipes++; }

int main(void)
{
    int sv[2];
    char b[16];
    signal(SIGPIPE, on_pipe);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "bye", 3);
    close(sv[0]);
    SAY("data after close", read(sv[1], b, sizeof b));
    SAY("then eof", read(sv[1], b, sizeof b));
    SAY("write", write(sv[1], "x", 1));
    say("SIGPIPE count %d", pipes);
    SAY("send MSG_NOSIGNAL", send(sv[1], "x", 1, MSG_NOSIGNAL));
    say("SIGPIPE count %d", pipes);
    SAY("zero-length send", send(sv[1], "", 0, 0));
    say("SIGPIPE count %d", pipes);
    struct sockaddr_un got; socklen_t gl = sizeof got;
    SAY("getpeername after peer close", getpeername(sv[1], (struct sockaddr *)&got, &gl));
    close(sv[1]);
    /* unread data at close: the peer gets ECONNRESET once */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    write(sv[0], "mine", 4);
    close(sv[0]);
    SAY("poll", revents(sv[1]));
    int err = -1; socklen_t el = sizeof err;
    SAY("read own data first", read(sv[1], b, sizeof b));
    SAY("then reset", read(sv[1], b, sizeof b));
    SAY("then eof", read(sv[1], b, sizeof b));
    getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &err, &el);
    say("SO_ERROR after %d", err);
    close(sv[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    close(sv[0]);
    getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &err, &el);
    say("SO_ERROR takes it: %s", errname(err));
    SAY("read then", read(sv[1], b, sizeof b));
    close(sv[1]);
    /* seqpacket peer close with unread data */
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    send(sv[1], "r", 1, 0);
    close(sv[0]);
    SAY("seqpacket recv", recv(sv[1], b, sizeof b, 0));
    SAY("seqpacket send", send(sv[1], "x", 1, 0));
    say("SIGPIPE count %d", pipes);
    /* a queued connection whose listener closes */
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "closeq", &a, 4);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    write(c, "lost", 4);
    close(l);
    SAY("client poll", revents(c));
    SAY("client read", read(c, b, sizeof b));
    SAY("client read again", read(c, b, sizeof b));
    SAY("client write", send(c, "x", 1, MSG_NOSIGNAL));
    SAY("connect to closed listener", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    unlink(a.sun_path);
    /* dgram: a connected peer that goes away */
    int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un da;
    socklen_t dl = abstract_addr(&da, "closed");
    bind(d1, (struct sockaddr *)&da, dl);
    connect(d2, (struct sockaddr *)&da, dl);
    close(d1);
    SAY("dgram send to closed", send(d2, "x", 1, 0));
    SAY("dgram send again", send(d2, "x", 1, 0));
    gl = sizeof got;
    SAY("dgram peer gone", getpeername(d2, (struct sockaddr *)&got, &gl));
    return 0;
}
