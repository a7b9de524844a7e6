/* What /proc/self/fd shows for event descriptors and pipes (readlink),
 * and what fstat shows for them. Numbers that vary (inode numbers) are
 * cut off. */
#include "contract.h"
#include "events.h"
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

static void show(const char *what, int fd)
{
    char path[64], link[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) {
        say("%s: readlink %s", what, errname(errno));
        return;
    }
    link[n] = 0;
    char *bracket = strchr(link, '[');
    int digits = bracket && bracket[1] >= '0' && bracket[1] <= '9';
    if (digits)
        strcpy(bracket + 1, "N]");
    struct stat st;
    fstat(fd, &st);
    say("%s: %s, mode %o", what, link, st.st_mode);
}

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    int p[2];
    pipe(p);
    show("pipe read end", p[0]);
    show("pipe write end", p[1]);
    show("eventfd", eventfd(0, 0));
    show("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));
    show("signalfd", signalfd(-1, &m, 0));
    show("inotify", inotify_init1(0));
    show("epoll", epoll_create1(0));
    return 0;
}
