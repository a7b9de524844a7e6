/* eventfd readiness: OUT while a write of 1 fits, IN while the count is
 * non-zero; a poll(-1) and an epoll_wait wake when a child writes, and a
 * blocked writer's room shows as OUT. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    int e = eventfd(0, EFD_NONBLOCK);
    say("zero: %s", ready(e));
    uint64_t v = 1;
    write(e, &v, 8);
    say("one: %s", ready(e));
    v = UINT64_MAX - 2;
    write(e, &v, 8);
    say("maximum: %s", ready(e));
    read(e, &v, 8);
    say("read back: %s", ready(e));
    if (fork() == 0) {
        sleep_ms(30);
        uint64_t x = 7;
        write(e, &x, 8);
        _exit(0);
    }
    struct pollfd pf = {.fd = e, .events = POLLIN};
    SAY("poll(-1)", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    wait(0);
    read(e, &v, 8);
    int ep = epoll_create1(0);
    ep_add(ep, e, EPOLLIN);
    if (fork() == 0) {
        sleep_ms(30);
        uint64_t x = 1;
        write(e, &x, 8);
        _exit(0);
    }
    show_wait("epoll_wait(-1)", ep, 4, -1);
    wait(0);
    return 0;
}
