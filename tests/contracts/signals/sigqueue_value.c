/* sigqueue carries a value to an SA_SIGINFO handler with si_code
 * SI_QUEUE; rt_sigqueueinfo may not forge kernel or kill codes for other
 * processes, but may for itself.
 * contract: glibc */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int got_code, got_val, got_pid_ok, got_signo, calls;

static void h(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    (void)sig;
    calls++;
    got_signo = si->si_signo;
    got_code = si->si_code;
    got_val = si->si_value.sival_int;
    got_pid_ok = si->si_pid == getpid();
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGRTMIN, &sa, NULL);

    union sigval v = {.sival_int = 1234};
    OK("sigqueue SIGUSR1", sigqueue(getpid(), SIGUSR1, v));
    say("calls %d signo %d SI_QUEUE %d value %d pid ok %d", calls, got_signo, got_code == SI_QUEUE, got_val, got_pid_ok);
    v.sival_int = -5;
    OK("sigqueue SIGRTMIN", sigqueue(getpid(), SIGRTMIN, v));
    say("calls %d SI_QUEUE %d value %d", calls, got_code == SI_QUEUE, got_val);
    SAY("sigqueue probe (sig 0)", sigqueue(getpid(), 0, v));
    SAY("sigqueue bad signal", sigqueue(getpid(), 99, v));

    /* Raw rt_sigqueueinfo to itself with a made-up code and value. */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = -42;
    si.si_value.sival_int = 77;
    si.si_pid = getpid();
    si.si_uid = getuid();
    OK("rt_sigqueueinfo self code -42", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
    say("code %d value %d", got_code, got_val);
    /* An si_code of unknown layout: bytes past the first 48 would be
     * lost, so they must be zero. */
    ((unsigned char *)&si)[64] = 1;
    SAY("unknown layout with extra bytes", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
    si.si_code = SI_QUEUE;
    SAY("known layout with extra bytes", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
    ((unsigned char *)&si)[64] = 0;
    si.si_code = SI_USER;
    OK("rt_sigqueueinfo self SI_USER", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
    say("code %d", got_code);
    si.si_code = -1;
    OK("rt_tgsigqueueinfo self", syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), SIGUSR1, &si));
    say("code %d value %d", got_code, got_val);
    SAY("rt_tgsigqueueinfo wrong tgid", syscall(SYS_rt_tgsigqueueinfo, getpid() + 100000, syscall(SYS_gettid), SIGUSR1, &si));
    SAY("rt_sigqueueinfo bad pointer", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)16));
    SAY("rt_sigqueueinfo bad signal", syscall(SYS_rt_sigqueueinfo, getpid(), 65, &si));

    pid_t c = fork();
    if (c == 0) {
        for (;;)
            pause();
    }
    si.si_code = SI_USER;
    SAY("to child with SI_USER", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si.si_code = SI_KERNEL;
    SAY("to child with SI_KERNEL", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si.si_code = SI_TKILL;
    SAY("to child with SI_TKILL", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si.si_code = SI_QUEUE;
    si.si_signo = SIGTERM;
    SAY("to child with SI_QUEUE", syscall(SYS_rt_sigqueueinfo, c, SIGTERM, &si));
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    SAY("to a missing process", syscall(SYS_rt_sigqueueinfo, 0x3fffff00, SIGUSR1, &si));
    return 0;
}
