/* poll, ppoll and select on AF_UNIX sockets waiting for real events: a
 * child writes after a handshake, the parent's blocking poll returns the
 * socket readable; a listener wakes a select for a connection. */
#include "contract.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

int main(void)
{
    int sv[2], p[2], st;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        read(p[0], &go, 1);
        write(sv[1], "x", 1);
        _exit(0);
    }
    write(p[1], "g", 1);
    struct pollfd pf = { sv[0], POLLIN, 0 };
    SAY("poll blocks until data", poll(&pf, 1, -1));
    say("revents %d", pf.revents);
    waitpid(pid, &st, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path + 1, 40, "ps%d", getpid());
    socklen_t al = 2 + 1 + strlen(a.sun_path + 1);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, al);
    listen(l, 1);
    pid = fork();
    if (pid == 0) {
        char go;
        read(p[0], &go, 1);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        _exit(connect(c, (struct sockaddr *)&a, al) == 0 ? 0 : 1);
    }
    write(p[1], "g", 1);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(l, &r);
    SAY("select blocks until a connection", select(l + 1, &r, NULL, NULL, NULL));
    say("listener readable %d", FD_ISSET(l, &r));
    waitpid(pid, &st, 0);
    say("client %s", wstatus(st));
    struct timespec ts = { 0, 0 };
    struct pollfd lp = { l, POLLIN | POLLOUT, 0 };
    SAY("ppoll listener", ppoll(&lp, 1, &ts, NULL));
    say("revents %d", lp.revents);
    return 0;
}
