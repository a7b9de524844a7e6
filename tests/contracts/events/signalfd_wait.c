/* Waiting on a signalfd: a blocking read sleeps until a signal in the
 * set arrives (from a child); poll and epoll wake for it; a signal not
 * in the set does not wake them. */
#include "contract.h"
#include "events.h"
#include <sys/signalfd.h>

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, 0);
    sigdelset(&m, SIGUSR2);
    int fd = signalfd(-1, &m, 0);
    pid_t me = getpid();
    if (fork() == 0) {
        sleep_ms(30);
        kill(me, SIGUSR1);
        _exit(0);
    }
    struct signalfd_siginfo si;
    SAY("blocking read", read(fd, &si, sizeof si));
    say("  signo %u", si.ssi_signo);
    wait(0);
    if (fork() == 0) {
        sleep_ms(30);
        kill(me, SIGUSR2); /* not in the set */
        sleep_ms(30);
        kill(me, SIGUSR1);
        _exit(0);
    }
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    SAY("poll(-1)", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    sigset_t pend;
    sigpending(&pend);
    say("both pending now: %d %d", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2));
    read(fd, &si, sizeof si);
    wait(0);
    int ep = epoll_create1(0);
    ep_add(ep, fd, EPOLLIN);
    show_wait("epoll, nothing pending", ep, 4, 0);
    if (fork() == 0) {
        sleep_ms(30);
        kill(me, SIGUSR1);
        _exit(0);
    }
    show_wait("epoll_wait(-1)", ep, 4, -1);
    show_wait("again, still pending", ep, 4, 0);
    read(fd, &si, sizeof si);
    show_wait("after the read", ep, 4, 0);
    wait(0);
    return 0;
}
