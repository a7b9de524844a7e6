/* waitid(P_PIDFD): waits for exactly the child behind the pidfd; with a
 * non-blocking pidfd and a running child it is EAGAIN; WNOHANG returns
 * with si_pid 0; a bad fd is EBADF. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int p[2];
    pipe(p);
    pid_t a = fork();
    if (a == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(4);
    }
    pid_t b = fork();
    if (b == 0)
        _exit(5);
    int fa = pidfd_open(a, 0);
    int fb = pidfd_open(b, 0);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    SAY("waitid b", waitid(P_PIDFD, fb, &si, WEXITED));
    say("  pid is b %d, code %d, status %d", si.si_pid == b, si.si_code, si.si_status);
    memset(&si, 0xff, sizeof si);
    SAY("WNOHANG on running a", waitid(P_PIDFD, fa, &si, WEXITED | WNOHANG));
    say("  si_pid %d", si.si_pid);
    int na = pidfd_open(a, O_NONBLOCK);
    SAY("non-blocking pidfd, running a", waitid(P_PIDFD, na, &si, WEXITED));
    write(p[1], "x", 1);
    SAY("waitid a", waitid(P_PIDFD, fa, &si, WEXITED));
    say("  pid is a %d, status %d", si.si_pid == a, si.si_status);
    SAY("waitid a again", waitid(P_PIDFD, fa, &si, WEXITED));
    SAY("bad fd", waitid(P_PIDFD, 99, &si, WEXITED));
    SAY("a pipe", waitid(P_PIDFD, p[0], &si, WEXITED));
    int self = pidfd_open(getpid(), 0);
    SAY("myself", waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
    return 0;
}
