/* SIGBUS: touching a page of a file mapping that lies wholly beyond the
 * end of the file gives BUS_ADRERR with si_addr; inside the last page the
 * rest reads as zeros. */
#include "contract.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
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

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "hello", 5);
    char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("mapped: %d", m != MAP_FAILED);
    say("first byte: %c, past EOF in last page: %d", m[0], m[100]);

    volatile char *beyond = m + 4096 + 10;
    if (sigsetjmp(jb, 1) == 0) {
        (void)*beyond;
        say("read beyond EOF: no fault");
    } else {
        say("read beyond EOF: signal %d BUS_ADRERR %d addr ok %d", signo, code == BUS_ADRERR, addr == (void *)beyond);
    }
    /* Shrinking the file makes pages of the mapping that lie beyond the
     * new end fault with SIGBUS too (here one not touched before). */
    char *m3 = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    OK("ftruncate to 8192", ftruncate(fd, 8192));
    m3[0] = 'a';
    OK("ftruncate to 100", ftruncate(fd, 100));
    volatile char *second = m3 + 4096 + 1;
    if (sigsetjmp(jb, 1) == 0) {
        *second = 'x';
        say("write after truncate: no fault");
    } else {
        say("write after truncate: signal %d BUS_ADRERR %d addr ok %d", signo, code == BUS_ADRERR, addr == (void *)second);
    }
    OK("ftruncate to 8192", ftruncate(fd, 8192));
    *beyond = 'y';
    say("after growing the file: %c", *beyond);
    return 0;
}
