/* SIGSEGV to a handler: NULL and unmapped addresses give SEGV_MAPERR, a
 * write to a read-only page and any access to a PROT_NONE page give
 * SEGV_ACCERR; si_addr is the faulting address.
 * contract: glibc */
#include "contract.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

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

static const char *cname(int c)
{
    return c == SEGV_MAPERR ? "SEGV_MAPERR" : c == SEGV_ACCERR ? "SEGV_ACCERR" : c == SI_KERNEL ? "SI_KERNEL" : "?";
}

#define TRY(label, expect_addr, stmt)                                                        \
    do {                                                                                     \
        signo = 0;                                                                           \
        if (sigsetjmp(jb, 1) == 0) {                                                         \
            stmt;                                                                            \
            say("%s: no fault", label);                                                      \
        } else {                                                                             \
            say("%s: signal %d %s addr ok %d", label, signo, cname(code), addr == (void *)(expect_addr)); \
        }                                                                                    \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    volatile int *null = NULL;
    TRY("read NULL", 0, (void)*null);
    TRY("write NULL", 0, *null = 1);
    volatile int *low = (int *)0x1008;
    TRY("read 0x1008", 0x1008, (void)*low);

    char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    munmap(p + 4096, 4096);
    mprotect(p + 8192, 4096, PROT_READ);
    volatile char *hole = p + 4096 + 100;
    TRY("read unmapped", hole, (void)*hole);
    volatile char *ro = p + 8192 + 5;
    TRY("read read-only", ro, (void)*ro);
    TRY("write read-only", ro, *ro = 1);
    mprotect(p, 4096, PROT_NONE);
    volatile char *none = p + 3;
    TRY("read PROT_NONE", none, (void)*none);
    TRY("write PROT_NONE", none, *none = 1);
    /* A non-canonical address is a general-protection fault: SI_KERNEL
     * with si_addr 0. */
    volatile long *nc = (long *)0x8000000000000000UL;
    TRY("read non-canonical", 0, (void)*nc);
    /* Kernel-half addresses are not the user's either. */
    volatile long *kern = (long *)0xffffffff80000000UL;
    TRY("read kernel address", kern, (void)*kern);
    say("still running: 1");
    return 0;
}
