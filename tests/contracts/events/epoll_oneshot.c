/* EPOLLONESHOT: reported once, then disarmed (even for new data) until
 * EPOLL_CTL_MOD re-arms it; DEL and ADD again also work. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    ep_add(ep, p[0], EPOLLIN | EPOLLONESHOT);
    write(p[1], "a", 1);
    show_wait("first", ep, 8, 0);
    show_wait("second", ep, 8, 0);
    write(p[1], "b", 1);
    show_wait("after a new write", ep, 8, 0);
    SAY("MOD re-arms", ep_mod(ep, p[0], EPOLLIN | EPOLLONESHOT));
    show_wait("after MOD", ep, 8, 0);
    show_wait("then", ep, 8, 0);
    SAY("ADD of the disarmed item", ep_add(ep, p[0], EPOLLIN));
    SAY("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    SAY("ADD", ep_add(ep, p[0], EPOLLIN | EPOLLONESHOT | EPOLLET));
    show_wait("oneshot+ET", ep, 8, 0);
    write(p[1], "c", 1);
    show_wait("oneshot+ET after a write", ep, 8, 0);
    /* A blocked wait is woken by a oneshot item's first event only. */
    char b[8];
    read(p[0], b, sizeof b);
    ep_mod(ep, p[0], EPOLLIN | EPOLLONESHOT);
    if (fork() == 0) {
        sleep_ms(30);
        write(p[1], "d", 1);
        _exit(0);
    }
    show_wait("blocked wait", ep, 8, -1);
    wait(0);
    show_wait("after", ep, 8, 50);
    return 0;
}
