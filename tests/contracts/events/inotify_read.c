/* Reading an inotify fd: FIONREAD gives the bytes queued; a buffer too
 * small for the next event is EINVAL (the event stays); reads return
 * whole events only; a blocking read waits; poll and epoll see it;
 * a deleted watched file gives IN_ATTRIB (link count), IN_DELETE_SELF
 * and IN_IGNORED. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/ioctl.h>
#include <sys/stat.h>

int main(void)
{
    mkdir("d", 0755);
    int in = inotify_init1(IN_NONBLOCK);
    int wd = inotify_add_watch(in, "d", IN_CREATE);
    int n = -1;
    ioctl(in, FIONREAD, &n);
    say("FIONREAD empty: %d", n);
    say("empty: %s", ready(in));
    close(open("d/abc", O_CREAT | O_WRONLY, 0600));
    close(open("d/0123456789abcdefX", O_CREAT | O_WRONLY, 0600));
    ioctl(in, FIONREAD, &n);
    say("FIONREAD after two: %d", n);
    say("with events: %s", ready(in));
    char buf[4096] __attribute__((aligned(8)));
    SAY("read into 16 bytes", read(in, buf, 16));
    SAY("read into 32 bytes (first event)", read(in, buf, 32));
    SAY("read into 40 bytes (second needs 48)", read(in, buf, 40));
    SAY("read the rest", read(in, buf, sizeof buf));
    SAY("read empty", read(in, buf, sizeof buf));
    (void)wd;

    fcntl(in, F_SETFL, 0);
    if (fork() == 0) {
        sleep_ms(30);
        close(open("d/late", O_CREAT | O_WRONLY, 0600));
        _exit(0);
    }
    ssize_t r = read(in, buf, sizeof buf);
    struct inotify_event *e = (struct inotify_event *)buf;
    say("blocking read: %zd, name %s", r, e->name);
    wait(0);

    int ep = epoll_create1(0);
    ep_add(ep, in, EPOLLIN);
    if (fork() == 0) {
        sleep_ms(30);
        mkdir("d/late-dir", 0755);
        _exit(0);
    }
    show_wait("epoll_wait(-1)", ep, 4, -1);
    wait(0);
    fcntl(in, F_SETFL, O_NONBLOCK);
    drain("queued", in);

    close(open("victim", O_CREAT | O_WRONLY, 0600));
    inotify_add_watch(in, "victim", IN_ALL_EVENTS);
    unlink("victim");
    drain("watched file unlinked", in);
    mkdir("w", 0755);
    close(open("w/x", O_CREAT | O_WRONLY, 0600));
    inotify_add_watch(in, "w", IN_ALL_EVENTS);
    inotify_add_watch(in, "w/x", IN_ALL_EVENTS);
    unlink("w/x");
    drain("watched file in a watched directory unlinked", in);
    close(open("w/y", O_CREAT | O_WRONLY, 0600));
    link("w/y", "w/y2");
    inotify_add_watch(in, "w/y", IN_ATTRIB | IN_DELETE_SELF);
    unlink("w/y2");
    drain("one of two links removed", in);
    mkdir("vdir", 0755);
    inotify_add_watch(in, "vdir", IN_ALL_EVENTS);
    rmdir("vdir");
    drain("watched directory removed", in);
    inotify_add_watch(in, "d", IN_DELETE_SELF);
    SAY("rmdir a non-empty d", rmdir("d"));
    drain("nothing", in);
    return 0;
}
