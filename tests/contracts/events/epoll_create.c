/* epoll_create and epoll_create1: size must be positive (and is
 * otherwise ignored); EPOLL_CLOEXEC is the only flag; the fd reads as
 * O_RDWR; it cannot be read, written or seeked. */
#include "contract.h"
#include "events.h"

int main(void)
{
    SAY("epoll_create(0)", syscall(SYS_epoll_create, 0));
    SAY("epoll_create(-1)", syscall(SYS_epoll_create, -1));
    int a = syscall(SYS_epoll_create, 1);
    say("epoll_create(1): %d, F_GETFD %d, F_GETFL %#o", a >= 0, fcntl(a, F_GETFD), fcntl(a, F_GETFL));
    int b = syscall(SYS_epoll_create, 100000);
    say("epoll_create(100000): %d", b >= 0);
    int c = epoll_create1(EPOLL_CLOEXEC);
    say("epoll_create1(EPOLL_CLOEXEC): %d, F_GETFD %d, F_GETFL %#o", c >= 0, fcntl(c, F_GETFD), fcntl(c, F_GETFL));
    SAY("epoll_create1(O_NONBLOCK)", epoll_create1(O_NONBLOCK));
    SAY("epoll_create1(1)", epoll_create1(1));
    char buf[16];
    SAY("read", read(c, buf, sizeof buf));
    SAY("write", write(c, buf, 1));
    SAY("lseek", lseek(c, 0, SEEK_SET));
    say("empty epoll: %s", ready(c));
    return 0;
}
