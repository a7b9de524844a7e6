/* Waits with a timeout that are stopped and continued (no handler runs)
 * carry on for the time that was left: select has written the time left
 * back before it restarts, and a later interruption reports a remainder
 * that counts the time waited before the stop. poll simply goes on. */
#include "contract.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static void h(int sig) { (void)sig; }

static void nap(long ms)
{
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
}

/* Starts a child that runs `body` after telling the parent it is about
 * to block; the parent waits 500 ms, stops and continues it, waits 50 ms,
 * then sends SIGUSR1 (which has a handler). */
static void run(const char *label, void (*body)(int))
{
    int ready[2], p[2];
    pipe(ready);
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, h);
        close(p[1]);
        write(ready[1], "r", 1);
        body(p[0]);
        _exit(0);
    }
    char b;
    read(ready[0], &b, 1);
    nap(500);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    nap(50);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);
    say("%s: child %s", label, wstatus(st));
    close(ready[0]);
    close(ready[1]);
    close(p[0]);
    close(p[1]);
}

static void do_select(int fd)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd, &r);
    struct timeval tv = {10, 0};
    errno = 0;
    long ret = syscall(SYS_select, fd + 1, &r, NULL, NULL, &tv);
    long long left = tv.tv_sec * 1000000LL + tv.tv_usec;
    say("select: %ld %s", ret, errname(errno));
    say("select: time left counts the wait before the stop (<= 9.8s): %d", left <= 9800000);
}

static void do_pselect(int fd)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd, &r);
    struct timespec ts = {10, 0};
    errno = 0;
    long ret = syscall(SYS_pselect6, fd + 1, &r, NULL, NULL, &ts, NULL);
    long long left = ts.tv_sec * 1000000000LL + ts.tv_nsec;
    say("pselect6: %ld %s", ret, errname(errno));
    say("pselect6: time left counts the wait before the stop (<= 9.8s): %d", left <= 9800000000LL);
}

static void do_poll(int fd)
{
    struct pollfd pf = {fd, POLLIN, 0};
    errno = 0;
    int ret = poll(&pf, 1, 10000);
    say("poll: %d %s", ret, errname(errno));
}

int main(void)
{
    run("select", do_select);
    run("pselect6", do_pselect);
    run("poll", do_poll);
    return 0;
}
