/* Integer division by zero (and INT_MIN / -1) raise SIGFPE with si_code
 * FPE_INTDIV and si_addr at the dividing instruction. */
#include "contract.h"
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static sigjmp_buf jb;
static volatile int signo, code;
static void *volatile addr;

static void h(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    signo = sig;
    code = si->si_code;
    addr = si->si_addr;
    siglongjmp(jb, 1);
}

extern char div_insn[], div2_insn[];

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);

    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile("xor %%edx, %%edx\n\t"
                         "mov $7, %%eax\n\t"
                         "xor %%ecx, %%ecx\n"
                         "div_insn:\n\t"
                         "divl %%ecx"
                         ::: "eax", "ecx", "edx");
        say("7/0: no fault");
    } else {
        say("7/0: signal %d FPE_INTDIV %d addr at div %d", signo, code == FPE_INTDIV, addr == (void *)div_insn);
    }
    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile("mov $0x80000000, %%eax\n\t"
                         "cltd\n\t"
                         "mov $-1, %%ecx\n"
                         "div2_insn:\n\t"
                         "idivl %%ecx"
                         ::: "eax", "ecx", "edx");
        say("INT_MIN/-1: no fault");
    } else {
        say("INT_MIN/-1: signal %d FPE_INTDIV %d addr at idiv %d", signo, code == FPE_INTDIV, addr == (void *)div2_insn);
    }
    volatile double z = 0.0;
    say("float 1/0 is inf, no signal: %d", 1.0 / z > 1e308);

    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGFPE, SIG_DFL);
        volatile int zero = 0;
        volatile int r = 1 / zero;
        (void)r;
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("default action: %s", wstatus(st));
    return 0;
}
