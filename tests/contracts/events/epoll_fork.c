/* An epoll fd is shared across fork: the child sees the parent's items
 * and its epoll_ctl changes are the parent's too; a child blocked in
 * epoll_wait wakes on a write by the parent. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    ep_add(ep, p[0], EPOLLIN);
    pid_t c = fork();
    if (c == 0) {
        struct epoll_event ev;
        int n = epoll_wait(ep, &ev, 1, -1);
        printf("child woke: %d, data %llu\n", n, (unsigned long long)ev.data.u64);
        ep_add(ep, q[0], EPOLLIN);
        _exit(0);
    }
    sleep_ms(30);
    write(p[1], "x", 1);
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    write(q[1], "y", 1);
    show_wait("parent sees the child's ADD", ep, 8, 0);
    return 0;
}
