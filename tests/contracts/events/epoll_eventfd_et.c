/* Edge-triggered items on an eventfd: every write is an edge for IN,
 * every read an edge for OUT, and a watcher of one direction is not
 * woken by the other (a semaphore read does not re-report IN). */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    int e = eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE);
    int in = epoll_create1(0), out = epoll_create1(0), both = epoll_create1(0);
    ep_add(in, e, EPOLLIN | EPOLLET);
    ep_add(out, e, EPOLLOUT | EPOLLET);
    ep_add(both, e, EPOLLIN | EPOLLOUT | EPOLLET);
    show_wait("in, initially", in, 4, 0);
    show_wait("out, initially", out, 4, 0);
    show_wait("both, initially", both, 4, 0);
    show_wait("out, again", out, 4, 0);
    uint64_t v = 3;
    write(e, &v, 8);
    show_wait("in, after a write", in, 4, 0);
    show_wait("out, after a write", out, 4, 0);
    show_wait("both, after a write", both, 4, 0);
    read(e, &v, 8);
    show_wait("in, after a semaphore read", in, 4, 0);
    show_wait("out, after a semaphore read", out, 4, 0);
    show_wait("both, after a semaphore read", both, 4, 0);
    write(e, &v, 8);
    write(e, &v, 8);
    show_wait("in, after two writes", in, 4, 0);
    show_wait("in, nothing new", in, 4, 0);
    return 0;
}
