/* An invalid instruction (ud2) raises SIGILL with si_code ILL_ILLOPN and
 * si_addr at the instruction; a handler may skip it by moving the saved
 * RIP in its ucontext. */
#include "contract.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>

static volatile int signo, code, calls;
static void *volatile addr;

static void skip(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    calls++;
    signo = sig;
    code = si->si_code;
    addr = si->si_addr;
    uc->uc_mcontext.gregs[REG_RIP] += 2; /* length of ud2 */
}

extern char ud2_insn[];

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = skip;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);

    __asm__ volatile("ud2_insn: ud2");
    say("resumed after ud2: calls %d signal %d ILL_ILLOPN %d addr ok %d", calls, signo, code == ILL_ILLOPN, addr == (void *)ud2_insn);

    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGILL, SIG_DFL);
        __asm__ volatile("ud2");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("default action: %s", wstatus(st));

    /* A blocked SIGILL raised by the CPU still kills. */
    c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGILL);
        sigprocmask(SIG_BLOCK, &s, NULL);
        __asm__ volatile("ud2");
        _exit(0);
    }
    waitpid(c, &st, 0);
    say("blocked handler: %s", wstatus(st));
    return 0;
}
