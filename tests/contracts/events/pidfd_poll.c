/* A pidfd becomes readable when its process exits (before it is
 * reaped), and also reports HUP once it is reaped. poll, epoll and a
 * pidfd of a non-child (a grandchild) all see it. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    int fd = pidfd_open(c, 0);
    say("running: %s", ready(fd));
    write(p[1], "x", 1);
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    SAY("poll(-1)", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    say("zombie: %s", ready(fd));
    waitpid(c, 0, 0);
    say("reaped: %s", ready(fd));

    c = fork();
    if (c == 0) {
        sleep_ms(40);
        _exit(0);
    }
    int ep = epoll_create1(0);
    int fd2 = pidfd_open(c, 0);
    ep_add(ep, fd2, EPOLLIN);
    show_wait("epoll before exit", ep, 4, 0);
    show_wait("epoll_wait(-1)", ep, 4, -1);
    waitpid(c, 0, 0);

    /* A grandchild: not ours to wait for, but we can watch it. */
    int q[2];
    pipe(q);
    c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            char b;
            read(p[0], &b, 1);
            _exit(0);
        }
        write(q[1], &g, sizeof g);
        waitpid(g, 0, 0);
        _exit(0);
    }
    pid_t g;
    read(q[0], &g, sizeof g);
    int gfd = pidfd_open(g, 0);
    say("grandchild running: %s", ready(gfd));
    write(p[1], "x", 1);
    pf.fd = gfd;
    SAY("poll(-1) on the grandchild", poll(&pf, 1, -1));
    waitpid(c, 0, 0);
    say("grandchild reaped by its parent: %s", ready(gfd));
    siginfo_t si;
    SAY("waitid(P_PIDFD) on a non-child", waitid(P_PIDFD, gfd, &si, WEXITED | WNOHANG));
    return 0;
}
