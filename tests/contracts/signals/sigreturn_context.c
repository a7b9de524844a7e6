/* rt_sigreturn restores every register and the SSE state of the
 * interrupted code, whatever the handler did to them; a handler may
 * change the saved context, and the change takes effect. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

static void clobber(int sig)
{
    (void)sig;
    __asm__ volatile("mov $0x1111, %%rbx\n\t"
                     "mov $0x2222, %%r12\n\t"
                     "mov $0x3333, %%r15\n\t"
                     "pcmpeqd %%xmm0, %%xmm0\n\t"
                     "pcmpeqd %%xmm7, %%xmm7\n\t"
                     "pcmpeqd %%xmm15, %%xmm15"
                     ::: "rbx", "r12", "r15", "xmm0", "xmm7", "xmm15");
}

static void set_rax(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    uc->uc_mcontext.gregs[REG_R13] = 0x5eed;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = clobber;
    sigaction(SIGUSR1, &sa, NULL);

    unsigned long rbx, r12, r15, x0, x7, x15;
    long pid = getpid();
    long nr = SYS_kill;
    long ret;
    /* Load known values, signal ourselves with a raw syscall (the
     * handler runs on its way out), and read the values back. */
    __asm__ volatile("mov $0xb0b0, %%rbx\n\t"
                     "mov $0x1212, %%r12\n\t"
                     "mov $0x1515, %%r15\n\t"
                     "mov $0xa0, %%eax\n\t"
                     "movq %%rax, %%xmm0\n\t"
                     "mov $0xa7, %%eax\n\t"
                     "movq %%rax, %%xmm7\n\t"
                     "mov $0xaf, %%eax\n\t"
                     "movq %%rax, %%xmm15\n\t"
                     "mov %[nr], %%rax\n\t"
                     "mov %[pid], %%rdi\n\t"
                     "mov $10, %%esi\n\t"
                     "syscall\n\t"
                     "mov %%rax, %[ret]\n\t"
                     "mov %%rbx, %[rbx]\n\t"
                     "mov %%r12, %[r12]\n\t"
                     "mov %%r15, %[r15]\n\t"
                     "movq %%xmm0, %[x0]\n\t"
                     "movq %%xmm7, %[x7]\n\t"
                     "movq %%xmm15, %[x15]"
                     : [ret] "=m"(ret), [rbx] "=m"(rbx), [r12] "=m"(r12), [r15] "=m"(r15), [x0] "=m"(x0), [x7] "=m"(x7), [x15] "=m"(x15)
                     : [nr] "r"(nr), [pid] "r"(pid)
                     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "r15", "xmm0", "xmm7", "xmm15", "memory");
    say("syscall result kept: %ld", ret);
    say("rbx %#lx r12 %#lx r15 %#lx", rbx, r12, r15);
    say("xmm0 %#lx xmm7 %#lx xmm15 %#lx", x0, x7, x15);

    sa.sa_sigaction = set_rax;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    unsigned long r13;
    __asm__ volatile("mov $1, %%r13\n\t"
                     "mov %[nr], %%rax\n\t"
                     "mov %[pid], %%rdi\n\t"
                     "mov $12, %%esi\n\t"
                     "syscall\n\t"
                     "mov %%r13, %[r13]"
                     : [r13] "=m"(r13)
                     : [nr] "r"(nr), [pid] "r"(pid)
                     : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r13", "memory");
    say("r13 set by the handler: %#lx", r13);
    return 0;
}
