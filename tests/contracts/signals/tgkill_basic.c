/* tgkill/tkill aim at one thread: si_code SI_TKILL; a tid that is not in
 * the given thread group gives ESRCH; non-positive ids give EINVAL. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int code, calls;
static void h(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    calls++;
    code = si->si_code;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t me = getpid();
    long tid = syscall(SYS_gettid);
    say("main thread tid equals pid: %d", tid == me);

    SAY("tgkill(self)", syscall(SYS_tgkill, me, tid, SIGUSR1));
    say("calls %d SI_TKILL %d", calls, code == SI_TKILL);
    SAY("tkill(self)", syscall(SYS_tkill, tid, SIGUSR1));
    say("calls %d SI_TKILL %d", calls, code == SI_TKILL);
    SAY("tgkill probe", syscall(SYS_tgkill, me, tid, 0));
    SAY("tkill probe", syscall(SYS_tkill, tid, 0));
    SAY("tgkill tgid 0", syscall(SYS_tgkill, 0, tid, SIGUSR1));
    SAY("tgkill tid 0", syscall(SYS_tgkill, me, 0, SIGUSR1));
    SAY("tgkill tid -1", syscall(SYS_tgkill, me, -1, SIGUSR1));
    SAY("tkill tid 0", syscall(SYS_tkill, 0, SIGUSR1));
    SAY("tkill tid -5", syscall(SYS_tkill, -5, SIGUSR1));
    SAY("tgkill bad signal", syscall(SYS_tgkill, me, tid, 65));
    SAY("tkill bad signal", syscall(SYS_tkill, tid, -3));
    SAY("tgkill missing tid", syscall(SYS_tgkill, me, 0x3fffff00, SIGUSR1));
    SAY("tkill missing tid", syscall(SYS_tkill, 0x3fffff00, SIGUSR1));

    pid_t c = fork();
    if (c == 0) {
        for (;;)
            pause();
    }
    SAY("tgkill child with my tgid", syscall(SYS_tgkill, me, c, SIGTERM));
    SAY("tgkill child with its tgid", syscall(SYS_tgkill, c, c, SIGTERM));
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    say("handler calls: %d", calls);
    return 0;
}
