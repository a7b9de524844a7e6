/* pidfd_send_signal: signals the pidfd's process (SI_USER, like kill);
 * sig 0 checks; flags and siginfo rules; a zombie accepts signals, a
 * reaped process is ESRCH; the fd must be a pidfd. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    int fd = pidfd_open(c, 0);
    SAY("signal 0", pidfd_send_signal(fd, 0, NULL, 0));
    SAY("bad flags", pidfd_send_signal(fd, SIGTERM, NULL, 8));
    SAY("bad signal", pidfd_send_signal(fd, 65, NULL, 0));
    SAY("on a pipe", pidfd_send_signal(p[0], SIGTERM, NULL, 0));
    SAY("on fd 99", pidfd_send_signal(99, SIGTERM, NULL, 0));
    SAY("SIGTERM", pidfd_send_signal(fd, SIGTERM, NULL, 0));
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    SAY("after reaping", pidfd_send_signal(fd, SIGTERM, NULL, 0));

    c = fork();
    if (c == 0)
        _exit(0);
    fd = pidfd_open(c, 0);
    siginfo_t si;
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    SAY("to a zombie", pidfd_send_signal(fd, SIGTERM, NULL, 0));
    waitpid(c, 0, 0);

    /* A signal to ourselves through our own pidfd, with a handler. */
    int self = pidfd_open(getpid(), 0);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, 0);
    SAY("to myself", pidfd_send_signal(self, SIGUSR1, NULL, 0));
    sigset_t pend;
    sigpending(&pend);
    say("SIGUSR1 pending: %d", sigismember(&pend, SIGUSR1));
    return 0;
}
