/* eventfd counter semantics: the initial value, read returns the whole
 * count and zeroes it, writes add, a read of zero blocks (EAGAIN when
 * non-blocking), flags show in F_GETFL/F_GETFD, bad flags are EINVAL,
 * and the old eventfd(2) takes no flags. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    int e = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
    say("created: %d", e >= 0);
    say("F_GETFL: %#o, F_GETFD: %d", fcntl(e, F_GETFL), fcntl(e, F_GETFD));
    uint64_t v = 0;
    SAY("read", read(e, &v, 8));
    say("  value %llu", (unsigned long long)v);
    SAY("read at zero", read(e, &v, 8));
    v = 3;
    SAY("write 3", write(e, &v, 8));
    v = 4;
    SAY("write 4", write(e, &v, 8));
    SAY("read", read(e, &v, 8));
    say("  value %llu", (unsigned long long)v);
    v = 0;
    SAY("write 0", write(e, &v, 8));
    SAY("read after writing 0", read(e, &v, 8));
    SAY("eventfd with a bad flag", eventfd(0, O_APPEND));
    SAY("eventfd2 with O_RDWR", syscall(SYS_eventfd2, 0, O_RDWR));
    int old = syscall(SYS_eventfd, 7);
    say("eventfd(2) old call: %d", old >= 0);
    say("  F_GETFL: %#o, F_GETFD: %d", fcntl(old, F_GETFL), fcntl(old, F_GETFD));
    SAY("  read", read(old, &v, 8));
    say("  value %llu", (unsigned long long)v);
    /* The initial value is an unsigned int. */
    int big = syscall(SYS_eventfd2, 0xffffffffu, EFD_NONBLOCK);
    read(big, &v, 8);
    say("initval 0xffffffff reads %#llx", (unsigned long long)v);
    /* Shared across fork: the child's write is the parent's read. */
    int b = eventfd(0, 0);
    if (fork() == 0) {
        sleep_ms(30);
        uint64_t one = 42;
        write(b, &one, 8);
        _exit(0);
    }
    SAY("blocking read", read(b, &v, 8));
    say("  value %llu", (unsigned long long)v);
    wait(0);
    SAY("lseek", lseek(b, 0, SEEK_SET));
    SAY("pread", pread(b, &v, 8, 0));
    return 0;
}
