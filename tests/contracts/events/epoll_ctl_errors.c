/* epoll_ctl errors: EEXIST on a second ADD, ENOENT for MOD/DEL of what
 * is not there, EBADF for bad descriptors, EPERM for files that cannot
 * be polled (regular files, directories), EINVAL for the epoll fd itself,
 * a non-epoll epfd or an unknown op, EFAULT for a bad event pointer;
 * EPOLLEXCLUSIVE only with ADD and without EPOLLONESHOT; ELOOP for a
 * cycle of epoll fds. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 1};
    SAY("ADD", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
    SAY("ADD again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
    SAY("MOD", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    SAY("MOD absent", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
    SAY("DEL absent", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &e));
    SAY("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &e));
    SAY("DEL again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &e));
    SAY("DEL with NULL event", (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)));
    SAY("ADD with NULL event", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL));
    SAY("ADD with a bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8));
    SAY("bad op", epoll_ctl(ep, 7, p[0], &e));
    SAY("fd 99", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &e));
    SAY("epfd 99", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &e));
    SAY("epfd is a pipe", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &e));
    SAY("epfd itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
    int f = open("file", O_CREAT | O_RDWR, 0600);
    SAY("regular file", epoll_ctl(ep, EPOLL_CTL_ADD, f, &e));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    SAY("directory", epoll_ctl(ep, EPOLL_CTL_ADD, d, &e));
    int n = open("/dev/null", O_RDWR);
    SAY("/dev/null", epoll_ctl(ep, EPOLL_CTL_ADD, n, &e));
    int pth = open("file", O_PATH);
    SAY("O_PATH", epoll_ctl(ep, EPOLL_CTL_ADD, pth, &e));
    SAY("DEL of a regular file", epoll_ctl(ep, EPOLL_CTL_DEL, f, &e));
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    SAY("EXCLUSIVE ADD", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e));
    SAY("EXCLUSIVE MOD", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
    e.events = EPOLLIN;
    SAY("MOD of an exclusive item", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
    int p2[2];
    pipe(p2);
    e.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    SAY("EXCLUSIVE|ONESHOT", epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &e));
    int inner = epoll_create1(0);
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    SAY("EXCLUSIVE on an epoll fd", epoll_ctl(ep, EPOLL_CTL_ADD, inner, &e));
    e.events = EPOLLIN;
    SAY("nest inner in ep", epoll_ctl(ep, EPOLL_CTL_ADD, inner, &e));
    SAY("nest ep in inner (a cycle)", epoll_ctl(inner, EPOLL_CTL_ADD, ep, &e));
    /* Unknown event bits are accepted. */
    e.events = EPOLLIN | 0x00800000;
    SAY("unknown bits", epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &e));
    return 0;
}
