/* A stack overflow is caught by a SIGSEGV handler running on the
 * alternate stack (the overflowed stack has no room for a frame).
 * Case 1: a private stack with a PROT_NONE guard page below it.
 * Case 2: the main thread's own stack, in a child, against its limit. */
#include "contract.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

static char altbuf[65536] __attribute__((aligned(16)));
static sigjmp_buf jb;
static volatile int on_alt, code;
static volatile uintptr_t fault_addr;

static void h(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    char here;
    on_alt = (uintptr_t)&here >= (uintptr_t)altbuf && (uintptr_t)&here < (uintptr_t)altbuf + sizeof altbuf;
    code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

static int __attribute__((noinline)) recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    return recurse(n + 1) + pad[0];
}

/* Runs recurse() with the stack pointer at `top`. */
static void __attribute__((noinline)) run_on(void *top)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%edi, %%edi\n\t"
                     "call *%1\n\t"
                     "ud2"
                     :
                     : "r"(top), "r"(recurse)
                     : "memory");
}

int main(void)
{
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);

    size_t pg = 4096, len = 16 * pg;
    char *stk = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(stk, pg, PROT_NONE);
    if (sigsetjmp(jb, 1) == 0) {
        run_on(stk + len);
        say("not reached");
    }
    say("guard page: caught on alt stack %d", on_alt);
    say("guard page: si_code SEGV_ACCERR %d", code == SEGV_ACCERR);
    say("guard page: si_addr in guard page %d", fault_addr >= (uintptr_t)stk && fault_addr < (uintptr_t)stk + pg);

    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {1 << 20, 1 << 20};
        setrlimit(RLIMIT_STACK, &rl);
        on_alt = 0;
        if (sigsetjmp(jb, 1) == 0) {
            recurse(0);
            _exit(1);
        }
        say("main stack: caught on alt stack %d", on_alt);
        say("main stack: SIGSEGV code SEGV_MAPERR %d", code == SEGV_MAPERR);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));

    /* Without an alternate stack the overflow cannot be handled: the
     * kernel cannot write the frame and the process dies of SIGSEGV. */
    c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        if (sigsetjmp(jb, 1) == 0)
            run_on(stk + len);
        _exit(1);
    }
    waitpid(c, &st, 0);
    say("no alt stack: %s", wstatus(st));
    return 0;
}
