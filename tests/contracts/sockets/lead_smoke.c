/* Lead's smoke test of AF_UNIX basics: pair I/O, bind/listen/connect/
 * accept on a path and an abstract name, datagrams with addresses,
 * SCM_RIGHTS, SO_PEERCRED, poll bits, shutdown. */
#include "../contract.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stddef.h>
#include <signal.h>

static int pollbits(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0 };
    poll(&p, 1, 0);
    return p.revents;
}

int main(void)
{
    int sv[2];
    char buf[64];
    OK("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    SAY("write", write(sv[0], "hello", 5));
    SAY("poll 1", pollbits(sv[1]));
    SAY("read", read(sv[1], buf, sizeof buf));
    SAY("poll fresh-stream", pollbits(socket(AF_UNIX, SOCK_STREAM, 0)));
    struct stat st;
    OK("fstat", fstat(sv[0], &st));
    say("mode %o size %ld nlink %ld", st.st_mode, (long)st.st_size, (long)st.st_nlink);
    char link[64] = {0};
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", sv[0]);
    readlink(buf, link, sizeof link - 1);
    say("link prefix %.8s", link);
    struct ucred uc; socklen_t ul = sizeof uc;
    OK("peercred", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    say("peercred pid-ok %d uid %d gid %d len %d", uc.pid == getpid(), uc.uid, uc.gid, ul);
    OK("shutdown wr", shutdown(sv[0], SHUT_WR));
    SAY("poll after shut", pollbits(sv[1]));
    SAY("read eof", read(sv[1], buf, sizeof buf));
    close(sv[0]);
    SAY("poll after close", pollbits(sv[1]));
    signal(SIGPIPE, SIG_IGN);
    SAY("write after close", write(sv[1], "x", 1));
    close(sv[1]);

    /* path server */
    char path[64];
    snprintf(path, sizeof path, "sock.%d", getpid());
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    OK("bind", bind(l, (struct sockaddr *)&a, sizeof a));
    SAY("bind again", bind(l, (struct sockaddr *)&a, sizeof a));
    OK("stat sock file", stat(path, &st));
    say("file mode %o", st.st_mode);
    SAY("poll unlistened", pollbits(l));
    OK("listen", listen(l, 5));
    SAY("poll listen", pollbits(l));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    OK("connect", connect(c, (struct sockaddr *)&a, sizeof a));
    SAY("poll listen pending", pollbits(l));
    SAY("write before accept", write(c, "abc", 3));
    struct sockaddr_un pa; socklen_t pl = sizeof pa;
    int s = accept(l, (struct sockaddr *)&pa, &pl);
    say("accept ok %d peerlen %d", s >= 0, pl);
    SAY("read accepted", read(s, buf, sizeof buf));
    pl = sizeof pa;
    OK("getsockname accepted", getsockname(s, (struct sockaddr *)&pa, &pl));
    say("name len full %d same %d", pl == 2 + strlen(path) + 1, strcmp(pa.sun_path, path) == 0);
    pl = sizeof pa;
    OK("getpeername client", getpeername(c, (struct sockaddr *)&pa, &pl));
    say("peer len full %d same %d", pl == 2 + strlen(path) + 1, strcmp(pa.sun_path, path) == 0);
    SAY("connect again", connect(c, (struct sockaddr *)&a, sizeof a));
    fcntl(l, F_SETFL, O_NONBLOCK);
    SAY("accept empty", accept(l, NULL, NULL));

    /* SCM_RIGHTS over the connection */
    int p[2];
    pipe(p);
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { "F", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS; cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
    SAY("sendmsg rights", sendmsg(c, &m, 0));
    close(p[1]);
    char rb[4];
    struct iovec riov = { rb, sizeof rb };
    char rc[64];
    struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rc, .msg_controllen = sizeof rc };
    SAY("recvmsg rights", recvmsg(s, &rm, 0));
    cm = CMSG_FIRSTHDR(&rm);
    say("cmsg %d type %d len %d controllen %d flags %d", cm != NULL, cm ? cm->cmsg_type : -1, cm ? (int)cm->cmsg_len : -1, (int)rm.msg_controllen, rm.msg_flags);
    int got; memcpy(&got, CMSG_DATA(cm), sizeof got);
    SAY("write via passed fd", write(got, "zz", 2));
    close(got);
    SAY("pipe read", read(p[0], buf, sizeof buf));
    SAY("pipe eof", read(p[0], buf, sizeof buf));

    /* datagrams with addresses */
    int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un da = { .sun_family = AF_UNIX };
    snprintf(da.sun_path + 1, 60, "lead-smoke-%d", getpid());
    socklen_t dal = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(da.sun_path + 1);
    OK("bind abstract", bind(d1, (struct sockaddr *)&da, dal));
    OK("autobind", bind(d2, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, sizeof(sa_family_t)));
    pl = sizeof pa;
    getsockname(d2, (struct sockaddr *)&pa, &pl);
    say("autobind len %d", pl);
    SAY("sendto", sendto(d2, "datagram", 8, 0, (struct sockaddr *)&da, dal));
    SAY("sendto empty", sendto(d2, "", 0, 0, (struct sockaddr *)&da, dal));
    pl = sizeof pa;
    SAY("recvfrom trunc", recvfrom(d1, buf, 4, 0, (struct sockaddr *)&pa, &pl));
    say("from len %d", pl);
    SAY("recv empty", recv(d1, buf, sizeof buf, 0));
    SAY("recv nothing", recv(d1, buf, sizeof buf, MSG_DONTWAIT));
    SAY("send unconnected", send(d1, "x", 1, 0));
    int sq[2];
    OK("seqpacket pair", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sq));
    SAY("seq send", send(sq[0], "12345678", 8, 0));
    SAY("seq recv trunc", recv(sq[1], buf, 3, MSG_TRUNC));
    close(sq[0]);
    SAY("seq eof", recv(sq[1], buf, sizeof buf, 0));
    SAY("ENOTSOCK", listen(0 + p[0], 1));
    SAY("bad family", socket(AF_INET6 + 100, SOCK_STREAM, 0));
    SAY("bad type", socket(AF_UNIX, 7, 0));
    SAY("bad proto", socket(AF_UNIX, SOCK_STREAM, 3));
    unlink(path);
    return 0;
}
