/* One epoll instance watching every event kind: each item reports when
 * its own event happens, with its own data; a blocking epoll_wait wakes
 * for a timer, a signal, a file creation and a process exit. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

static const char *names[] = {"eventfd", "timerfd", "signalfd", "inotify", "pidfd"};

static void wait_show(const char *label, int ep, int timeout)
{
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    printf("%s: %d", label, n);
    for (int i = 0; i < n; i++)
        printf(" %s=%s", names[ev[i].data.u32], pollname(ev[i].events));
    printf("\n");
}

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, 0);
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        _exit(0);
    }
    int fds[5];
    fds[0] = eventfd(0, EFD_NONBLOCK);
    fds[1] = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    fds[2] = signalfd(-1, &m, SFD_NONBLOCK);
    fds[3] = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fds[3], ".", IN_CREATE);
    fds[4] = pidfd_open(c, 0);
    int ep = epoll_create1(0);
    for (int i = 0; i < 5; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e) < 0)
            say("add %s: %s", names[i], errname(errno));
    }
    wait_show("nothing", ep, 0);
    uint64_t v = 3;
    write(fds[0], &v, 8);
    wait_show("eventfd", ep, 0);
    read(fds[0], &v, 8);
    struct itimerspec its = {{0, 0}, {0, 30000000}};
    timerfd_settime(fds[1], 0, &its, 0);
    wait_show("timer (blocking)", ep, -1);
    read(fds[1], &v, 8);
    pid_t me = getpid();
    pid_t k = fork();
    if (k == 0) {
        sleep_ms(30);
        kill(me, SIGUSR2);
        _exit(0);
    }
    wait_show("signal (blocking)", ep, -1);
    waitpid(k, 0, 0);
    struct signalfd_siginfo si;
    read(fds[2], &si, sizeof si);
    k = fork();
    if (k == 0) {
        sleep_ms(30);
        close(open("made-by-child", O_CREAT | O_WRONLY, 0600));
        _exit(0);
    }
    wait_show("file creation (blocking)", ep, -1);
    waitpid(k, 0, 0);
    char buf[512];
    read(fds[3], buf, sizeof buf);
    write(go[1], "x", 1);
    wait_show("child exit (blocking)", ep, -1);
    waitpid(c, 0, 0);
    wait_show("child reaped", ep, 0);
    return 0;
}
