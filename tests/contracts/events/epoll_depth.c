/* Nesting epoll instances: chains up to the limit work and report
 * through every level; a chain one level too deep, or a cycle of any
 * length, is ELOOP. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep[8];
    for (int i = 0; i < 8; i++)
        ep[i] = epoll_create1(0);
    int p[2];
    pipe(p);
    ep_add(ep[0], p[0], EPOLLIN);
    for (int i = 1; i < 8; i++) {
        int r = ep_add(ep[i], ep[i - 1], EPOLLIN);
        say("add level %d under level %d: %s", i - 1, i, r == 0 ? "ok" : errname(errno));
    }
    write(p[1], "x", 1);
    for (int i = 0; i < 8; i++)
        say("level %d: %s", i, ready(ep[i]));
    int a = epoll_create1(0), b = epoll_create1(0), c = epoll_create1(0);
    ep_add(a, b, EPOLLIN);
    ep_add(b, c, EPOLLIN);
    SAY("close a cycle of three", ep_add(c, a, EPOLLIN));
    return 0;
}
