/* EPOLLEXCLUSIVE: accepted with ADD; the item reports like a level-
 * triggered one; several epoll instances can each hold an exclusive
 * item on the same descriptor; when one child is blocked in each, a
 * write wakes at least one of them. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int p[2];
    pipe(p);
    int a = epoll_create1(0), b = epoll_create1(0);
    SAY("ADD exclusive to a", ep_add(a, p[0], EPOLLIN | EPOLLEXCLUSIVE));
    SAY("ADD exclusive to b", ep_add(b, p[0], EPOLLIN | EPOLLEXCLUSIVE));
    show_wait("a, empty", a, 8, 0);
    write(p[1], "x", 1);
    show_wait("a", a, 8, 0);
    show_wait("a again", a, 8, 0);
    show_wait("b", b, 8, 0);
    SAY("DEL from a", epoll_ctl(a, EPOLL_CTL_DEL, p[0], NULL));
    SAY("ADD exclusive with EPOLLOUT|EPOLLET", ep_add(a, p[1], EPOLLOUT | EPOLLET | EPOLLEXCLUSIVE));
    show_wait("a, writer", a, 8, 0);
    show_wait("a, writer again", a, 8, 0);
    char c;
    read(p[0], &c, 1);

    /* Two children, each blocked in its own epoll_wait on b and on a
     * second exclusive instance; one write. */
    int d = epoll_create1(0);
    ep_add(d, p[0], EPOLLIN | EPOLLEXCLUSIVE);
    int done[2];
    pipe(done);
    for (int i = 0; i < 2; i++) {
        if (fork() == 0) {
            struct epoll_event ev;
            int n = epoll_wait(i ? d : b, &ev, 1, 2000);
            char r = n > 0 ? 'w' : 't';
            write(done[1], &r, 1);
            _exit(0);
        }
    }
    sleep_ms(100);
    write(p[1], "y", 1);
    char r1;
    read(done[0], &r1, 1);
    say("first waiter to return was woken: %d", r1 == 'w');
    wait(0);
    wait(0);
    return 0;
}
