/* Datagrams: boundaries, truncation (MSG_TRUNC as flag and result),
 * zero-length datagrams, EMSGSIZE, connected filtering (EPERM), send
 * without a destination, to a name nobody holds, to a non-socket file. */
#include "unixutil.h"

int main(void)
{
    char buf[64];
    struct sockaddr_un a, b, f;
    socklen_t al = abstract_addr(&a, "dga"), bl = abstract_addr(&b, "dgb");
    int s = socket(AF_UNIX, SOCK_DGRAM, 0), t = socket(AF_UNIX, SOCK_DGRAM, 0), u = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(s, (struct sockaddr *)&a, al);
    bind(t, (struct sockaddr *)&b, bl);
    SAY("send 3", sendto(t, "abc", 3, 0, (struct sockaddr *)&a, al));
    SAY("send 5", sendto(t, "defgh", 5, 0, (struct sockaddr *)&a, al));
    SAY("send 0", sendto(t, "", 0, 0, (struct sockaddr *)&a, al));
    SAY("recv one at a time", recv(s, buf, sizeof buf, 0));
    SAY("truncated", recv(s, buf, 2, 0));
    say("got %.2s", buf);
    SAY("empty datagram", recv(s, buf, sizeof buf, 0));
    SAY("queue empty", recv(s, buf, sizeof buf, MSG_DONTWAIT));
    sendto(t, "123456", 6, 0, (struct sockaddr *)&a, al);
    SAY("MSG_TRUNC result", recv(s, buf, 2, MSG_TRUNC));
    sendto(t, "123456", 6, 0, (struct sockaddr *)&a, al);
    struct iovec iov = { buf, 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    SAY("recvmsg short", recvmsg(s, &m, 0));
    say("msg_flags trunc %d", !!(m.msg_flags & MSG_TRUNC));
    sendto(t, "123", 3, 0, (struct sockaddr *)&a, al);
    m.msg_flags = 0;
    SAY("recvmsg fits", recvmsg(s, &m, 0));
    say("msg_flags %d", m.msg_flags);
    sendto(t, "peek", 4, 0, (struct sockaddr *)&a, al);
    SAY("peek", recv(s, buf, sizeof buf, MSG_PEEK));
    SAY("peek again", recv(s, buf, 2, MSG_PEEK));
    SAY("read after peek", recv(s, buf, sizeof buf, 0));
    static char huge[300000];
    SAY("EMSGSIZE", sendto(t, huge, sizeof huge, 0, (struct sockaddr *)&a, al));
    SAY("212960 ok", sendto(t, huge, 212960, 0, (struct sockaddr *)&a, al));
    SAY("212961 too big", sendto(t, huge, 212961, 0, (struct sockaddr *)&a, al));
    SAY("big recv", recv(s, huge, sizeof huge, 0));
    SAY("no destination", send(u, "x", 1, 0));
    SAY("write no destination", write(u, "x", 1));
    struct sockaddr_un n;
    socklen_t nl = abstract_addr(&n, "nobody");
    SAY("nobody there", sendto(u, "x", 1, 0, (struct sockaddr *)&n, nl));
    path_addr(&f, "plainfile");
    close(open(f.sun_path, O_CREAT | O_WRONLY, 0666));
    SAY("to a plain file", sendto(u, "x", 1, 0, (struct sockaddr *)&f, sizeof f));
    unlink(f.sun_path);
    SAY("to a missing path", sendto(u, "x", 1, 0, (struct sockaddr *)&f, sizeof f));
    SAY("bad address length", sendto(u, "x", 1, 0, (struct sockaddr *)&a, 1));
    SAY("address too long", sendto(u, "x", 1, 0, (struct sockaddr *)&a, 200));
    /* connected: s talks only to t */
    OK("connect s->t", connect(s, (struct sockaddr *)&b, bl));
    SAY("u to s (connected elsewhere)", sendto(u, "x", 1, 0, (struct sockaddr *)&a, al));
    SAY("t to s", sendto(t, "ok", 2, 0, (struct sockaddr *)&a, al));
    SAY("s reads", recv(s, buf, sizeof buf, 0));
    SAY("s sends to default", send(s, "hi", 2, 0));
    SAY("t reads", recv(t, buf, sizeof buf, 0));
    socklen_t gl = sizeof n;
    struct sockaddr_un got;
    OK("s getpeername", getpeername(s, (struct sockaddr *)&got, &gl));
    say("peer is t %d", gl == bl && memcmp(&got, &b, bl) == 0);
    SAY("connect u to s", connect(u, (struct sockaddr *)&a, al));
    OK("disconnect (AF_UNSPEC)", connect(s, (struct sockaddr *)&(struct sockaddr){ .sa_family = AF_UNSPEC }, sizeof(struct sockaddr)));
    gl = sizeof got;
    SAY("peer after disconnect", getpeername(s, (struct sockaddr *)&got, &gl));
    SAY("u to s now", sendto(u, "x", 1, 0, (struct sockaddr *)&a, al));
    SAY("sendto on connected dgram", sendto(s, "y", 1, 0, (struct sockaddr *)&b, bl));
    SAY("listen dgram", listen(s, 1));
    SAY("accept dgram", accept(s, NULL, NULL));
    SAY("MSG_OOB send", sendto(s, "y", 1, MSG_OOB, (struct sockaddr *)&b, bl));
    SAY("MSG_OOB recv", recv(s, buf, 1, MSG_OOB | MSG_DONTWAIT));
    return 0;
}
