/* sendmmsg/recvmmsg on datagram pairs: counts, lengths, MSG_WAITFORONE,
 * a failure after some messages, vectored messages, sendmsg errors. */
#include "unixutil.h"

int main(void)
{
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    struct mmsghdr out[4];
    struct iovec iv[4][2];
    char *words[4] = { "one", "three", "", "seventeen" };
    memset(out, 0, sizeof out);
    for (int i = 0; i < 4; i++) {
        iv[i][0] = (struct iovec){ words[i], strlen(words[i]) };
        iv[i][1] = (struct iovec){ "!", 1 };
        out[i].msg_hdr.msg_iov = iv[i];
        out[i].msg_hdr.msg_iovlen = 2;
    }
    SAY("sendmmsg 4", sendmmsg(d[0], out, 4, 0));
    say("lens %u %u %u %u", out[0].msg_len, out[1].msg_len, out[2].msg_len, out[3].msg_len);
    struct mmsghdr in[6];
    char bufs[6][8];
    struct iovec riv[6];
    memset(in, 0, sizeof in);
    for (int i = 0; i < 6; i++) {
        riv[i] = (struct iovec){ bufs[i], sizeof bufs[i] };
        in[i].msg_hdr.msg_iov = &riv[i];
        in[i].msg_hdr.msg_iovlen = 1;
    }
    SAY("recvmmsg 6 nonblocking", recvmmsg(d[1], in, 6, MSG_DONTWAIT, NULL));
    say("lens %u %u %u %u flags %d %d %d %d", in[0].msg_len, in[1].msg_len, in[2].msg_len, in[3].msg_len,
        in[0].msg_hdr.msg_flags, in[1].msg_hdr.msg_flags, in[2].msg_hdr.msg_flags, in[3].msg_hdr.msg_flags);
    say("first %.4s last %.8s", bufs[0], bufs[3]);
    SAY("recvmmsg empty", recvmmsg(d[1], in, 2, MSG_DONTWAIT, NULL));
    send(d[0], "w", 1, 0);
    SAY("recvmmsg waitforone", recvmmsg(d[1], in, 3, MSG_WAITFORONE, NULL));
    SAY("sendmmsg 0", sendmmsg(d[0], out, 0, 0));
    out[1].msg_hdr.msg_iov = (struct iovec *)8;
    SAY("sendmmsg fails at second", sendmmsg(d[0], out, 3, 0));
    SAY("sendmmsg fails at first", sendmmsg(d[0], &out[1], 2, 0));
    SAY("recv the one", recv(d[1], bufs[0], 8, 0));
    /* sendmsg details */
    struct msghdr m = { 0 };
    struct iovec many[1025];
    for (int i = 0; i < 1025; i++)
        many[i] = (struct iovec){ "x", 1 };
    m.msg_iov = many;
    m.msg_iovlen = 1025;
    SAY("1025 iovecs", sendmsg(d[0], &m, 0));
    m.msg_iovlen = 1024;
    SAY("1024 iovecs", sendmsg(d[0], &m, 0));
    SAY("recv 1024", recv(d[1], bufs, 0, MSG_TRUNC));
    m.msg_iovlen = 0;
    SAY("no iovecs", sendmsg(d[0], &m, 0));
    SAY("recv empty", recv(d[1], bufs, 8, 0));
    char cb[64] = { 0 };
    m.msg_iov = many;
    m.msg_iovlen = 1;
    m.msg_control = cb;
    m.msg_controllen = 8;
    SAY("control shorter than a header", sendmsg(d[0], &m, 0));
    recv(d[1], bufs, 8, 0);
    struct cmsghdr *c = (struct cmsghdr *)cb;
    c->cmsg_len = 100;
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    m.msg_controllen = 32;
    SAY("cmsg_len past the buffer", sendmsg(d[0], &m, 0));
    c->cmsg_len = 12;
    SAY("cmsg_len below a header", sendmsg(d[0], &m, 0));
    c->cmsg_len = 16;
    c->cmsg_type = 99;
    m.msg_controllen = 16;
    SAY("unknown SOL_SOCKET type", sendmsg(d[0], &m, 0));
    c->cmsg_level = 6;
    SAY("other level ignored", sendmsg(d[0], &m, 0));
    recv(d[1], bufs, 8, MSG_DONTWAIT);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = 16;
    SAY("SCM_RIGHTS with no fds", sendmsg(d[0], &m, 0));
    recv(d[1], bufs, 8, MSG_DONTWAIT);
    m.msg_controllen = 32;
    SAY("second header all zero", sendmsg(d[0], &m, 0));
    /* a stream: an address is EISCONN when connected */
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "x" };
    SAY("stream sendto connected", sendto(s[0], "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    SAY("stream sendto unconnected", sendto(socket(AF_UNIX, SOCK_STREAM, 0), "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    SAY("stream send unconnected", send(socket(AF_UNIX, SOCK_STREAM, 0), "x", 1, 0));
    SAY("stream recv unconnected", recv(socket(AF_UNIX, SOCK_STREAM, 0), bufs, 1, 0));
    return 0;
}
