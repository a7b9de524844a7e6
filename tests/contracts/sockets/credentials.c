/* SCM_CREDENTIALS and SO_PASSCRED: credentials attached when either end
 * asks, the receiver sees them only with SO_PASSCRED, explicit ones are
 * checked (EPERM for a pid or ids the sender does not have, as nobody),
 * messages of different senders are not glued on a stream. */
#include "unixutil.h"

static int recv_creds(int s, struct ucred *uc, int *len, int *flags)
{
    char buf[16];
    struct iovec iov = { buf, sizeof buf };
    union { char b[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr h; } cb;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof cb.b };
    ssize_t n = recvmsg(s, &m, 0);
    *len = (int)n;
    *flags = m.msg_flags;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (n < 0 || !c || c->cmsg_type != SCM_CREDENTIALS)
        return 0;
    memcpy(uc, CMSG_DATA(c), sizeof *uc);
    return 1;
}

static ssize_t send_creds(int s, pid_t pid, uid_t uid, gid_t gid)
{
    struct ucred uc = { pid, uid, gid };
    struct iovec iov = { "c", 1 };
    union { char b[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr h; } cb;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof cb.b };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof uc);
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    return sendmsg(s, &m, 0);
}

int main(void)
{
    int sv[2], one = 1, v, len, fl;
    socklen_t vl = sizeof v;
    struct ucred uc;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &vl);
    say("SO_PASSCRED default %d", v);
    send(sv[0], "a", 1, 0);
    say("without passcred: cmsg %d", recv_creds(sv[1], &uc, &len, &fl));
    OK("set passcred", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
    send(sv[0], "b", 1, 0);
    int got = recv_creds(sv[1], &uc, &len, &fl);
    say("with passcred: cmsg %d pid-is-me %d uid %d gid %d len %d", got, uc.pid == getpid(), uc.uid, uc.gid, len);
    /* sent before the receiver asked: nothing was attached */
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    send(d[0], "c", 1, 0);
    setsockopt(d[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    got = recv_creds(d[1], &uc, &len, &fl);
    say("sent before asking: cmsg %d pid %d uid %d gid %d", got, uc.pid, uc.uid, uc.gid);
    /* explicit credentials as root */
    SAY("explicit own", send_creds(sv[0], getpid(), getuid(), getgid()));
    got = recv_creds(sv[1], &uc, &len, &fl);
    say("explicit: pid-is-me %d uid %d gid %d", uc.pid == getpid(), uc.uid, uc.gid);
    SAY("explicit other ids as root", send_creds(sv[0], getpid(), 1234, 5678));
    got = recv_creds(sv[1], &uc, &len, &fl);
    say("claimed: uid %d gid %d", uc.uid, uc.gid);
    SAY("pid 1 as root", send_creds(sv[0], 1, 0, 0));
    recv_creds(sv[1], &uc, &len, &fl);
    say("claimed pid %d", uc.pid);
    SAY("no such pid", send_creds(sv[0], 999999, 0, 0));
    SAY("bad cmsg_len", ({
        struct ucred u = { getpid(), 0, 0 };
        struct iovec iov = { "c", 1 };
        union { char b[CMSG_SPACE(sizeof(struct ucred)) + 8]; struct cmsghdr h; } cb;
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof cb.b };
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_CREDENTIALS; c->cmsg_len = CMSG_LEN(sizeof u) + 4;
        memcpy(CMSG_DATA(c), &u, sizeof u);
        sendmsg(sv[0], &m, 0);
    }));
    /* as nobody */
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        SAY("nobody: own", send_creds(sv[0], getpid(), 65534, 65534));
        SAY("nobody: root uid", send_creds(sv[0], getpid(), 0, 65534));
        SAY("nobody: root gid", send_creds(sv[0], getpid(), 65534, 0));
        SAY("nobody: parent pid", send_creds(sv[0], getppid(), 65534, 65534));
        send(sv[0], "n", 1, 0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    got = recv_creds(sv[1], &uc, &len, &fl);
    say("from nobody (explicit): uid %d gid %d pid-is-child %d", uc.uid, uc.gid, uc.pid == pid);
    got = recv_creds(sv[1], &uc, &len, &fl);
    say("from nobody (implicit): uid %d gid %d pid-is-child %d", uc.uid, uc.gid, uc.pid == pid);
    /* stream: writes of different senders are not glued */
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    write(s[0], "aa", 2);
    pid = fork();
    if (pid == 0) {
        write(s[0], "bb", 2);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    write(s[0], "cc", 2);
    got = recv_creds(s[1], &uc, &len, &fl);
    say("stream first read %d bytes, mine %d", len, uc.pid == getpid());
    got = recv_creds(s[1], &uc, &len, &fl);
    say("stream second read %d bytes, child's %d", len, uc.pid == pid);
    got = recv_creds(s[1], &uc, &len, &fl);
    say("stream third read %d bytes, mine %d", len, uc.pid == getpid());
    /* no control buffer with passcred: MSG_CTRUNC */
    write(s[0], "x", 1);
    char b;
    struct iovec iov = { &b, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    SAY("recvmsg without control", recvmsg(s[1], &m, 0));
    say("ctrunc %d", !!(m.msg_flags & MSG_CTRUNC));
    return 0;
}
