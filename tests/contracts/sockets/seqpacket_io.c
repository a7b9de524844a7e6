/* Seqpacket: records kept, truncation discards the rest, end of file
 * when the peer goes, unconnected errors, listen/accept work. */
#include "unixutil.h"

int main(void)
{
    int sv[2];
    char buf[64];
    int u = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    SAY("unconnected send", send(u, "x", 1, 0));
    SAY("unconnected recv", recv(u, buf, 1, MSG_DONTWAIT));
    SAY("unconnected write", write(u, "x", 1));
    SAY("poll unconnected", revents(u));
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    SAY("send 5", send(sv[0], "hello", 5, 0));
    SAY("send 3", send(sv[0], "abc", 3, 0));
    SAY("send 0", send(sv[0], "", 0, 0));
    SAY("recv 2 of 5", recv(sv[1], buf, 2, 0));
    SAY("next record", recv(sv[1], buf, sizeof buf, 0));
    say("got %.3s", buf);
    SAY("empty record", recv(sv[1], buf, sizeof buf, 0));
    send(sv[0], "abcdef", 6, 0);
    struct iovec iov = { buf, 3 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    SAY("recvmsg trunc", recvmsg(sv[1], &m, 0));
    say("flags trunc %d eor %d", !!(m.msg_flags & MSG_TRUNC), !!(m.msg_flags & MSG_EOR));
    SAY("sendto with address ignored", sendto(sv[0], "q", 1, 0, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX, .sun_path = "nowhere" }, sizeof(struct sockaddr_un)));
    SAY("recv q", recv(sv[1], buf, sizeof buf, 0));
    int sq;
    socklen_t sl = sizeof sq;
    SAY("FIONREAD empty", ioctl(sv[1], FIONREAD, &sq));
    say("inq %d", sq);
    send(sv[0], "1234", 4, 0);
    send(sv[0], "56", 2, 0);
    ioctl(sv[1], FIONREAD, &sq);
    say("inq after two records %d", sq);
    SAY("SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &sq, &sl) == 0 ? sq : -1);
    close(sv[0]);
    SAY("record before eof", recv(sv[1], buf, sizeof buf, 0));
    SAY("record before eof 2", recv(sv[1], buf, sizeof buf, 0));
    SAY("eof", recv(sv[1], buf, sizeof buf, 0));
    SAY("eof nonblocking", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    signal(SIGPIPE, SIG_IGN);
    SAY("send to closed peer", send(sv[1], "x", 1, 0));
    SAY("poll after peer close", revents(sv[1]));
    /* listen/accept */
    struct sockaddr_un a;
    int l = listener(SOCK_SEQPACKET, "seq", &a, 2);
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    OK("connect", connect(c, (struct sockaddr *)&a, sizeof a));
    SAY("send before accept", send(c, "early", 5, 0));
    int s = accept(l, NULL, NULL);
    SAY("recv after accept", recv(s, buf, 3, 0));
    SAY("rest discarded", recv(s, buf, sizeof buf, MSG_DONTWAIT));
    SAY("stream connect to seqpacket", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    unlink(a.sun_path);
    return 0;
}
