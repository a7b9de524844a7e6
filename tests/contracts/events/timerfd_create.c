/* timerfd_create and timerfd_settime argument rules: the clocks that can
 * back a timerfd, flags, bad timespecs, descriptors that are not
 * timerfds. */
#include "contract.h"
#include "events.h"
#include <sys/timerfd.h>

int main(void)
{
    static const struct { int id; const char *name; } clocks[] = {
        {CLOCK_REALTIME, "REALTIME"}, {CLOCK_MONOTONIC, "MONOTONIC"},
        {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"}, {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
        {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"}, {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
        {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"}, {CLOCK_BOOTTIME, "BOOTTIME"},
        {8, "REALTIME_ALARM"}, {9, "BOOTTIME_ALARM"}, {11, "TAI"}, {-1, "-1"}, {100, "100"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        int fd = timerfd_create(clocks[i].id, 0);
        say("clock %s: %s", clocks[i].name, fd >= 0 ? "ok" : errname(errno));
        if (fd >= 0)
            close(fd);
    }
    SAY("bad flags", timerfd_create(CLOCK_MONOTONIC, O_APPEND));
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    say("F_GETFL: %#o, F_GETFD: %d", fcntl(t, F_GETFL), fcntl(t, F_GETFD));
    struct itimerspec its = {{0, 0}, {1, 0}};
    SAY("settime bad flags", timerfd_settime(t, 4, &its, 0));
    its.it_value.tv_nsec = 1000000000;
    SAY("settime value nsec 1e9", timerfd_settime(t, 0, &its, 0));
    its.it_value = (struct timespec){-1, 0};
    SAY("settime negative value", timerfd_settime(t, 0, &its, 0));
    its.it_value = (struct timespec){1, 0};
    its.it_interval = (struct timespec){0, -5};
    SAY("settime bad interval", timerfd_settime(t, 0, &its, 0));
    its.it_interval = (struct timespec){0, 0};
    SAY("settime NULL new", syscall(SYS_timerfd_settime, t, 0, NULL, NULL));
    SAY("settime bad new address", syscall(SYS_timerfd_settime, t, 0, (void *)8, NULL));
    int p[2];
    pipe(p);
    SAY("settime on a pipe", timerfd_settime(p[0], 0, &its, 0));
    SAY("gettime on a pipe", timerfd_gettime(p[0], &its));
    SAY("settime on fd 99", timerfd_settime(99, 0, &its, 0));
    SAY("gettime on fd 99", timerfd_gettime(99, &its));
    SAY("gettime to a bad address", timerfd_gettime(t, (void *)8));
    uint64_t v;
    SAY("read unarmed, non-blocking", read(t, &v, 8));
    SAY("read 4 bytes", read(t, &v, 4));
    SAY("write", write(t, &v, 8));
    return 0;
}
