/* Level-triggered epoll: an item is reported on every wait while it is
 * ready, with the data the caller gave; only the events asked for (plus
 * ERR and HUP, always) are reported; MOD changes both events and data. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
    ep_add(ep, p[1], EPOLLOUT);
    show_wait("writer only", ep, 8, 0);
    write(p[1], "abc", 3);
    struct epoll_event out[4];
    int n = epoll_wait(ep, out, 4, 0);
    say("both: %d", n);
    for (int i = 0; i < n; i++)
        say("  data %#llx events %s", (unsigned long long)out[i].data.u64, pollname(out[i].events));
    n = epoll_wait(ep, out, 4, 0);
    say("again (still ready): %d", n);
    char b[8];
    read(p[0], b, 1);
    say("after a partial read: %d", epoll_wait(ep, out, 4, 0));
    read(p[0], b, sizeof b);
    show_wait("drained", ep, 8, 0);
    e.events = EPOLLIN | EPOLLOUT;
    e.data.u64 = 42;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
    write(p[1], "x", 1);
    show_wait("after MOD (OUT on a read end never comes)", ep, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
    close(p[1]);
    show_wait("writer closed: HUP without asking", ep, 8, 0);
    ep_mod(ep, p[0], 0);
    show_wait("events 0: HUP still reported", ep, 8, 0);
    return 0;
}
