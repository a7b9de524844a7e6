/* Blocked callers wake: accept when a client connects, recv when data
 * comes or the peer shuts down, a blocked writer when the reader drains,
 * a datagram sender blocked on a full queue. Children block; the parent
 * acts after a handshake (the result is the same however late it acts). */
#include "unixutil.h"

int main(void)
{
    int p[2], st;
    char b[8];
    pipe(p);
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "wake", &a, 2);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "r", 1);
        int s = accept(l, NULL, NULL);
        _exit(s >= 0 && read(s, b, 1) == 1 && b[0] == 'h' ? 0 : 1);
    }
    read(p[0], b, 1);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    write(c, "h", 1);
    waitpid(pid, &st, 0);
    say("accept woke: %s", wstatus(st));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid = fork();
    if (pid == 0) {
        write(p[1], "r", 1);
        ssize_t n = read(sv[1], b, sizeof b);
        ssize_t m = read(sv[1], b, sizeof b);
        _exit(n == 2 && m == 0 ? 0 : 1);
    }
    read(p[0], b, 1);
    write(sv[0], "hi", 2);
    shutdown(sv[0], SHUT_WR);
    waitpid(pid, &st, 0);
    say("recv woke for data then eof: %s", wstatus(st));
    /* a writer blocked on a full socket */
    int w[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, w);
    static char big[600000];
    pid = fork();
    if (pid == 0) {
        write(p[1], "r", 1);
        _exit(write(w[0], big, sizeof big) == sizeof big ? 0 : 1);
    }
    read(p[0], b, 1);
    static char sink[65536];
    long got = 0;
    while (got < (long)sizeof big) {
        ssize_t n = read(w[1], sink, sizeof sink);
        if (n <= 0)
            break;
        got += n;
    }
    waitpid(pid, &st, 0);
    say("writer finished: %s, read %ld", wstatus(st), got);
    /* a datagram sender blocked on a full receiver queue */
    struct sockaddr_un da;
    socklen_t dl = abstract_addr(&da, "wake");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(r, (struct sockaddr *)&da, dl);
    pid = fork();
    if (pid == 0) {
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        connect(s, (struct sockaddr *)&da, dl);
        write(p[1], "r", 1);
        for (int i = 0; i < 20; i++)
            if (send(s, "d", 1, 0) != 1)
                _exit(1);
        _exit(0);
    }
    read(p[0], b, 1);
    int n = 0;
    while (n < 20 && recv(r, b, 1, 0) == 1)
        n++;
    waitpid(pid, &st, 0);
    say("dgram sender finished: %s, received %d", wstatus(st), n);
    unlink(a.sun_path);
    return 0;
}
