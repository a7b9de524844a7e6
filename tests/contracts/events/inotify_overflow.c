/* A full inotify queue: after max_queued_events events, one
 * IN_Q_OVERFLOW (wd -1) is queued and everything else is dropped until
 * the queue is read; reading makes room again. Alternating events keep
 * them from merging. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/ioctl.h>
#include <sys/stat.h>

int main(void)
{
    int max = 16384;
    FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
    if (f) {
        if (fscanf(f, "%d", &max) != 1)
            max = 16384;
        fclose(f);
    }
    int fd = open("f", O_CREAT | O_RDWR, 0600);
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, "f", IN_MODIFY | IN_ATTRIB);
    for (int i = 0; i < max + 10; i++) {
        if (i % 2)
            fchmod(fd, 0600);
        else
            write(fd, "x", 1);
    }
    int n = 0;
    ioctl(in, FIONREAD, &n);
    say("queued bytes = (max + 1) * 16: %d", n == (max + 1) * 16);
    static char buf[(16384 + 64) * 16] __attribute__((aligned(8)));
    int events = 0, overflows = 0, last_wd = 0;
    unsigned last_mask = 0;
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + r;) {
            struct inotify_event *e = (struct inotify_event *)p;
            events++;
            if (e->mask & IN_Q_OVERFLOW)
                overflows++;
            last_wd = e->wd;
            last_mask = e->mask;
            p += sizeof *e + e->len;
        }
    }
    say("events = max + 1: %d, overflows %d, last: wd %d %s", events == max + 1, overflows, last_wd, inmask(last_mask));
    write(fd, "y", 1);
    drain("after reading, a new event", in);
    return 0;
}
