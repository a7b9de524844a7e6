/* SO_PEERCRED: set by socketpair (each end, the creator), by listen (the
 * listener's own, which the client gets at connect) and by connect (the
 * client's, which the accepted socket shows); unset without a peer. */
#include "unixutil.h"

static void show(const char *what, int s)
{
    struct ucred uc;
    socklen_t l = sizeof uc;
    if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &l) < 0) {
        say("%s: -1 %s", what, errname(errno));
        return;
    }
    say("%s: len %d pid %s uid %d gid %d", what, l, uc.pid == getpid() ? "me" : uc.pid == 0 ? "0" : "other", (int)uc.uid, (int)uc.gid);
}

int main(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show("pair end 0", sv[0]);
    show("pair end 1", sv[1]);
    show("fresh socket", socket(AF_UNIX, SOCK_STREAM, 0));
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    show("dgram pair", d[0]);
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "pc", &a, 4);
    show("listener", l);
    pipe(p);
    pid_t pid0 = fork();
    if (pid0 == 0) {
        setgid(4321);
        setuid(1234);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        _exit(connect(c, (struct sockaddr *)&a, sizeof a) < 0 && errno == EACCES ? 0 : 1);
    }
    int st0;
    waitpid(pid0, &st0, 0);
    say("connect without permission: EACCES %s", wstatus(st0));
    /* the rest over an abstract name (no file permissions involved) */
    int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un ab;
    socklen_t abl = abstract_addr(&ab, "pc");
    bind(l2, (struct sockaddr *)&ab, abl);
    listen(l2, 4);
    pid_t pid = fork();
    if (pid == 0) {
        setgid(4321);
        setuid(1234);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&ab, abl) < 0) {
            write(p[1], "e", 1);
            _exit(1);
        }
        struct ucred uc;
        socklen_t ul = sizeof uc;
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
        char ok = (uc.pid == getppid() && uc.uid == 0 && uc.gid == 0) ? 'y' : 'n';
        write(p[1], &ok, 1);
        read(c, &ok, 1);
        _exit(0);
    }
    char ok;
    read(p[0], &ok, 1);
    say("client sees the listener's credentials: %c", ok);
    int s = accept(l2, NULL, NULL);
    struct ucred uc;
    socklen_t ul = sizeof uc;
    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
    say("accepted sees client: pid-is-child %d uid %d gid %d", uc.pid == pid, uc.uid, uc.gid);
    write(s, "x", 1);
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    ul = 4;
    SAY("short length", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    say("len %d", ul);
    ul = 100;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &ul);
    say("long length -> %d", ul);
    unlink(a.sun_path);
    return 0;
}
