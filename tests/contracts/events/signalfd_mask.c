/* signalfd's mask: signalfd(fd, mask) on an existing signalfd replaces
 * its mask; SIGKILL and SIGSTOP are silently dropped; a wrong size or
 * flag is EINVAL; an fd that is not a signalfd is EINVAL; the old
 * signalfd(2) call has no flags. Real-time signals queue. */
#include "contract.h"
#include "events.h"
#include <sys/signalfd.h>

int main(void)
{
    sigset_t m, all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, 0);
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    say("F_GETFL: %#o, F_GETFD: %d", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
    kill(getpid(), SIGUSR2);
    struct signalfd_siginfo si;
    SAY("SIGUSR2 pending, mask USR1", read(fd, &si, sizeof si));
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    SAY("update the mask", signalfd(fd, &m, 0));
    SAY("now read", read(fd, &si, sizeof si));
    say("  signo %u", si.ssi_signo);
    uint64_t raw = (1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)) | (1ull << (SIGUSR1 - 1));
    SAY("raw signalfd4 with KILL and STOP", syscall(SYS_signalfd4, fd, &raw, 8, 0));
    kill(getpid(), SIGUSR1);
    SAY("read USR1", read(fd, &si, sizeof si));
    SAY("sizemask 4", syscall(SYS_signalfd4, -1, &raw, 4, 0));
    SAY("sizemask 16", syscall(SYS_signalfd4, -1, &raw, 16, 0));
    SAY("bad flags", syscall(SYS_signalfd4, -1, &raw, 8, O_APPEND));
    SAY("bad mask address", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
    int p[2];
    pipe(p);
    SAY("update a pipe", syscall(SYS_signalfd4, p[0], &raw, 8, 0));
    SAY("update fd 99", syscall(SYS_signalfd4, 99, &raw, 8, 0));
    int old = syscall(SYS_signalfd, -1, &raw, 8);
    say("signalfd(2): %d, F_GETFL %#o, F_GETFD %d", old >= 0, fcntl(old, F_GETFL), fcntl(old, F_GETFD));
    /* Real-time signals queue: three sent, three read, in order. */
    sigemptyset(&m);
    sigaddset(&m, SIGRTMIN + 1);
    signalfd(fd, &m, 0);
    for (int i = 0; i < 3; i++)
        kill(getpid(), SIGRTMIN + 1);
    struct signalfd_siginfo rt[4];
    ssize_t n = read(fd, rt, sizeof rt);
    say("read %zd bytes: signals %u %u %u", n, rt[0].ssi_signo - SIGRTMIN, rt[1].ssi_signo - SIGRTMIN, rt[2].ssi_signo - SIGRTMIN);
    /* Standard signals do not queue. */
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    signalfd(fd, &m, 0);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    n = read(fd, rt, sizeof rt);
    say("two SIGUSR1 sent, read %zd bytes", n);
    return 0;
}
