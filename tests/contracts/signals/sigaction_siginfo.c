/* SA_SIGINFO handlers get a siginfo_t: si_signo, si_code (SI_USER for
 * kill, SI_TKILL for tgkill/tkill, SI_QUEUE for sigqueue), the sender's
 * pid and uid, and a ucontext.
 * contract: glibc */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

static volatile int signo, code, pid_ok, uid_ok, ctx_ok, called;

static void h(int sig, siginfo_t *si, void *uc)
{
    called++;
    signo = si->si_signo;
    code = si->si_code;
    pid_ok = si->si_pid == getpid();
    uid_ok = si->si_uid == getuid();
    ctx_ok = uc != NULL && sig == si->si_signo;
}

static void report(const char *what)
{
    say("%s: called %d signo %d code %d pid ok %d uid ok %d ctx ok %d", what, called, signo, code, pid_ok, uid_ok, ctx_ok);
    called = 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    OK("sigaction SIGUSR1", sigaction(SIGUSR1, &sa, NULL));
    OK("sigaction SIGRTMIN+3", sigaction(SIGRTMIN + 3, &sa, NULL));

    OK("kill", kill(getpid(), SIGUSR1));
    report("kill");
    OK("tgkill", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
    report("tgkill");
    OK("tkill", syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
    report("tkill");
    OK("raise", raise(SIGUSR1));
    report("raise");
    union sigval v = {.sival_int = 7};
    OK("sigqueue", sigqueue(getpid(), SIGUSR1, v));
    report("sigqueue");
    OK("kill rt", kill(getpid(), SIGRTMIN + 3));
    say("rt signal number relative to SIGRTMIN: %d", signo - SIGRTMIN);
    report("kill rt");

    struct sigaction q;
    OK("query", sigaction(SIGUSR1, NULL, &q));
    say("SA_SIGINFO kept: %d", (q.sa_flags & SA_SIGINFO) != 0);
    say("sa_sigaction kept: %d", q.sa_sigaction == h);
    return 0;
}
