/* Closing a watched descriptor removes its item only when the last
 * reference to the open file goes: while a dup (or a child's copy)
 * holds it, the item keeps reporting under the old data, and DEL by the
 * closed number fails. An item is keyed by (fd, file): the same file
 * under two fds is two items. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    ep_add(ep, p[0], EPOLLIN);
    int d = dup(p[0]);
    SAY("ADD the dup too", ep_add(ep, d, EPOLLIN));
    show_wait("two items", ep, 8, 0);
    close(p[0]);
    show_wait("fd closed, dup open", ep, 8, 0);
    SAY("DEL by the closed number", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    close(d);
    show_wait("every reference closed", ep, 8, 0);

    /* A new file under the old number is a new item. */
    int q[2];
    pipe(q);
    say("reused number: %d", q[0] == p[0]);
    write(q[1], "y", 1);
    show_wait("nothing watched", ep, 8, 0);
    SAY("ADD under the reused number", ep_add(ep, q[0], EPOLLIN));
    show_wait("new item", ep, 8, 0);

    /* A child's copy keeps the file open. */
    int r[2];
    pipe(r);
    ep_add(ep, r[0], EPOLLIN);
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        _exit(0);
    }
    close(r[0]);
    write(r[1], "z", 1);
    show_wait("closed here, open in the child", ep, 8, 0);
    write(go[1], "g", 1);
    waitpid(c, 0, 0);
    show_wait("child gone", ep, 8, 0);

    /* Closing the epoll fd with items in it. */
    close(ep);
    int ep2 = epoll_create1(0);
    ep_add(ep2, q[0], EPOLLIN);
    show_wait("a new epoll fd", ep2, 8, 0);
    return 0;
}
