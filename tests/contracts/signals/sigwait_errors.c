/* Argument checks of rt_sigtimedwait and rt_sigsuspend. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

int main(void)
{
    unsigned long set = 1UL << (SIGUSR1 - 1);
    struct timespec zero = {0, 0}, bad = {0, -1};
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);

    SAY("size 4", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4));
    SAY("size 16", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 16));
    SAY("bad set pointer", syscall(SYS_rt_sigtimedwait, (void *)16, NULL, &zero, 8));
    SAY("bad timeout pointer", syscall(SYS_rt_sigtimedwait, &set, NULL, (void *)16, 8));
    SAY("negative nsec", syscall(SYS_rt_sigtimedwait, &set, NULL, &bad, 8));
    SAY("nothing pending, zero timeout", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8));
    kill(getpid(), SIGUSR1);
    SAY("pending, bad info pointer", syscall(SYS_rt_sigtimedwait, &set, (void *)16, &zero, 8));
    sigset_t p;
    sigpending(&p);
    say("SIGUSR1 still pending after EFAULT: %d", sigismember(&p, SIGUSR1));
    SAY("take it", syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8));
    /* SIGKILL/SIGSTOP in the set are ignored, not an error. */
    unsigned long ks = (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1));
    SAY("set of SIGKILL SIGSTOP", syscall(SYS_rt_sigtimedwait, &ks, NULL, &zero, 8));
    SAY("rt_sigsuspend size 4", syscall(SYS_rt_sigsuspend, &set, 4));
    SAY("rt_sigsuspend bad pointer", syscall(SYS_rt_sigsuspend, (void *)16, 8));
    return 0;
}
