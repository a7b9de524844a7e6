/* SCM_RIGHTS: one and many descriptors, the same open file description
 * (shared offset), MSG_CMSG_CLOEXEC, a control buffer too small
 * (MSG_CTRUNC, the extra descriptors not installed), no control buffer,
 * more than SCM_MAX_FD, a closed descriptor, peeking duplicates. */
#include "unixutil.h"

static int count_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            n++;
    return n;
}

int main(void)
{
    int sv[2], got[300], fl;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int f = open("rights.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "0123456789", 10);
    lseek(f, 2, SEEK_SET);
    SAY("send one", send_fds(sv[0], &f, 1));
    SAY("recv one", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int)), 0, &fl));
    say("flags %d new fd distinct %d cloexec %d", fl, got[0] != f, fcntl(got[0], F_GETFD));
    say("shared offset %ld", (long)lseek(got[0], 0, SEEK_CUR));
    lseek(got[0], 5, SEEK_SET);
    say("moved through copy %ld", (long)lseek(f, 0, SEEK_CUR));
    close(got[0]);
    SAY("send cloexec", send_fds(sv[0], &f, 1));
    SAY("recv MSG_CMSG_CLOEXEC", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, &fl));
    say("cloexec %d", fcntl(got[0], F_GETFD));
    close(got[0]);
    int many[200];
    for (int i = 0; i < 200; i++)
        many[i] = f;
    int before = count_fds();
    SAY("send 200", send_fds(sv[0], many, 200));
    SAY("recv 200", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int) * 200), 0, &fl));
    say("installed %d flags %d", count_fds() - before, fl);
    for (int i = 0; i < 200; i++)
        close(got[i]);
    SAY("send 5, room for 2", send_fds(sv[0], many, 5));
    SAY("recv", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int) * 2), 0, &fl));
    say("ctrunc %d installed %d", !!(fl & MSG_CTRUNC), count_fds() - before);
    close(got[0]); close(got[1]);
    SAY("send 3, no control buffer", send_fds(sv[0], many, 3));
    SAY("recv", recv_fds(sv[1], got, 300, 0, 0, &fl));
    say("ctrunc %d installed %d", !!(fl & MSG_CTRUNC), count_fds() - before);
    SAY("send 3, read(2) takes data", send_fds(sv[0], many, 3));
    char c;
    SAY("read", read(sv[1], &c, 1));
    say("installed %d", count_fds() - before);
    SAY("send 3, header-only buffer", send_fds(sv[0], many, 3));
    SAY("recv", recv_fds(sv[1], got, 300, sizeof(struct cmsghdr), 0, &fl));
    say("ctrunc %d installed %d", !!(fl & MSG_CTRUNC), count_fds() - before);
    static int lots[254];
    for (int i = 0; i < 254; i++)
        lots[i] = f;
    SAY("send 254", send_fds(sv[0], lots, 254));
    int bad = 77;
    SAY("send closed fd", send_fds(sv[0], &bad, 1));
    SAY("nothing queued", recv(sv[1], &c, 1, MSG_DONTWAIT));
    /* peek duplicates the descriptors; the real read installs them again */
    SAY("send for peek", send_fds(sv[0], &f, 1));
    SAY("peek", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int)), MSG_PEEK, &fl));
    int peeked = got[0];
    SAY("read", recv_fds(sv[1], got, 300, CMSG_SPACE(sizeof(int)), 0, &fl));
    say("both open %d %d distinct %d", fcntl(peeked, F_GETFD) >= 0, fcntl(got[0], F_GETFD) >= 0, peeked != got[0]);
    close(peeked); close(got[0]);
    /* a stream read stops after the message that carried descriptors */
    send_fds(sv[0], &f, 1);
    write(sv[0], "tail", 4);
    char buf[16];
    struct iovec iov = { buf, sizeof buf };
    char cb[CMSG_SPACE(sizeof(int))];
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
    SAY("recvmsg stops at rights", recvmsg(sv[1], &m, 0));
    memcpy(&got[0], CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
    close(got[0]);
    SAY("then the rest", read(sv[1], buf, sizeof buf));
    /* over a datagram pair, and the received socket works */
    int d[2], inner[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    socketpair(AF_UNIX, SOCK_STREAM, 0, inner);
    SAY("send a socket", send_fds(d[0], &inner[0], 1));
    close(inner[0]);
    SAY("recv it", recv_fds(d[1], got, 300, CMSG_SPACE(sizeof(int)), 0, &fl));
    SAY("write through it", write(got[0], "via", 3));
    SAY("read at the other end", read(inner[1], buf, sizeof buf));
    unlink("rights.tmp");
    return 0;
}
