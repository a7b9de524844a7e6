/* poll and select over one descriptor of every event kind at once:
 * eventfd, timerfd, signalfd, inotify, pidfd, pipe, and an epoll fd
 * watching the eventfd; each turns ready on its own event, and a single poll(-1) reports the one that
 * happened. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

enum { EV, TM, SG, IN, PD, EP, PI, N };
static const char *names[N] = {"eventfd", "timerfd", "signalfd", "inotify", "pidfd", "epoll", "pipe"};
static struct pollfd pf[N];

static void show(const char *label)
{
    int n = poll(pf, N, 0);
    printf("%s: %d", label, n);
    for (int i = 0; i < N; i++)
        if (pf[i].revents)
            printf(" %s=%s", names[i], pollname(pf[i].revents));
    printf("\n");
}

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, 0);
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        _exit(0);
    }
    int q[2];
    pipe(q);
    int fds[N];
    fds[EV] = eventfd(0, EFD_NONBLOCK);
    fds[TM] = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    fds[SG] = signalfd(-1, &m, SFD_NONBLOCK);
    fds[IN] = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fds[IN], ".", IN_CREATE);
    fds[PD] = pidfd_open(c, 0);
    fds[EP] = epoll_create1(0);
    ep_add(fds[EP], fds[EV], EPOLLIN); /* ready when the eventfd is */
    fds[PI] = q[0];
    for (int i = 0; i < N; i++)
        pf[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    show("nothing yet");
    uint64_t one = 1;
    write(fds[EV], &one, 8);
    show("eventfd written");
    read(fds[EV], &one, 8);
    struct itimerspec its = {{0, 0}, {0, 20000000}};
    timerfd_settime(fds[TM], 0, &its, 0);
    SAY("poll(-1) for the timer", poll(pf, N, -1));
    show("timer expired");
    read(fds[TM], &one, 8);
    kill(getpid(), SIGUSR1);
    show("signal pending");
    struct signalfd_siginfo si;
    read(fds[SG], &si, sizeof si);
    close(open("newfile", O_CREAT | O_WRONLY, 0600));
    show("file created");
    char buf[512];
    read(fds[IN], buf, sizeof buf);
    write(go[1], "x", 1);
    SAY("poll(-1) for the child's exit", poll(pf, N, -1));
    show("child exited");
    waitpid(c, 0, 0);
    show("child reaped");
    pf[PD].fd = -1;
    write(q[1], "y", 1);
    show("pipe written");

    fd_set r;
    FD_ZERO(&r);
    int maxfd = 0;
    for (int i = 0; i < N; i++) {
        FD_SET(fds[i], &r);
        if (fds[i] > maxfd)
            maxfd = fds[i];
    }
    struct timeval tv = {0, 0};
    int n = select(maxfd + 1, &r, 0, 0, &tv);
    printf("select: %d", n);
    for (int i = 0; i < N; i++)
        if (FD_ISSET(fds[i], &r))
            printf(" %s", names[i]);
    printf("\n");
    return 0;
}
