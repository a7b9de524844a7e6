/* int3 raises SIGTRAP (si_code SI_KERNEL); the saved RIP points after the
 * int3, so returning from the handler simply continues. */
#include "contract.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>

static volatile int calls, signo, code, rip_ok;
extern char after_int3[];

static void h(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    calls++;
    signo = sig;
    code = si->si_code;
    rip_ok = (char *)uc->uc_mcontext.gregs[REG_RIP] == after_int3;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);

    __asm__ volatile("int3\nafter_int3:");
    say("after int3: calls %d signal %d SI_KERNEL %d rip after int3 %d", calls, signo, code == SI_KERNEL, rip_ok);
    __asm__ volatile("int3");
    say("second int3: calls %d", calls);

    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGTRAP, SIG_DFL);
        __asm__ volatile("int3");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("default action: %s", wstatus(st));
    return 0;
}
