/* SIGCHLD through a signalfd: ssi_pid is the child, ssi_code CLD_EXITED
 * or CLD_KILLED, ssi_status the exit code or signal. A signalfd reads
 * the signals of whoever reads it: a child reading an inherited
 * signalfd gets its own signals, not the parent's. */
#include "contract.h"
#include "events.h"
#include <sys/signalfd.h>

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGCHLD);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, 0);
    int fd = signalfd(-1, &m, 0);
    pid_t c = fork();
    if (c == 0)
        _exit(5);
    struct signalfd_siginfo si;
    SAY("read", read(fd, &si, sizeof si));
    say("  signo %u, code %d (CLD_EXITED %d), pid is child %d, status %d", si.ssi_signo, si.ssi_code, CLD_EXITED,
        si.ssi_pid == (uint32_t)c, si.ssi_status);
    waitpid(c, 0, 0);
    c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    kill(c, SIGTERM);
    SAY("read", read(fd, &si, sizeof si));
    say("  signo %u, code %d (CLD_KILLED %d), pid is child %d, status %d", si.ssi_signo, si.ssi_code, CLD_KILLED,
        si.ssi_pid == (uint32_t)c, si.ssi_status);
    waitpid(c, 0, 0);

    int p[2];
    pipe(p);
    c = fork();
    if (c == 0) {
        /* The parent's SIGUSR1 below is not ours to read. */
        char b;
        read(p[0], &b, 1);
        kill(getpid(), SIGUSR1);
        struct signalfd_siginfo mine;
        ssize_t n = read(fd, &mine, sizeof mine);
        printf("child read %zd: signo %u, from itself %d\n", n, mine.ssi_signo, mine.ssi_pid == (uint32_t)getpid());
        fcntl(fd, F_SETFL, O_NONBLOCK);
        n = read(fd, &mine, sizeof mine);
        printf("child read again: %zd %s\n", n, n < 0 ? errname(errno) : "");
        _exit(0);
    }
    kill(getpid(), SIGUSR1);
    write(p[1], "go", 1);
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    sigset_t pend;
    sigpending(&pend);
    say("parent's SIGUSR1 still pending: %d", sigismember(&pend, SIGUSR1));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    ssize_t n;
    int chld = 0, usr1 = 0;
    while ((n = read(fd, &si, sizeof si)) > 0) {
        chld += si.ssi_signo == SIGCHLD;
        usr1 += si.ssi_signo == SIGUSR1;
    }
    say("parent then reads SIGCHLD %d, SIGUSR1 %d", chld, usr1);
    return 0;
}
