/* contract: glibc
 * clone(2) with the flags musl and glibc use for threads
 * (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|
 * CHILD_CLEARTID): the new thread shares memory, the descriptor table,
 * the working directory and the signal handlers, belongs to the same
 * process, starts with the TLS base it was given, and its tid reaches the
 * parent's word; at its exit the child's word is zeroed and waiters woken. */
#include "contract.h"
#include "../futex/futex_test.h"
#define ARCH_GET_FS 0x1003
#include <fcntl.h>
#include <sys/stat.h>

static volatile uint32_t ctid;
static pid_t ptid;
static volatile long child_pid, child_tid, child_fd;
static unsigned long child_fs;
static char tls_block[4096] __attribute__((aligned(64)));

static volatile int go;

static void on_usr1(int sig) { (void)sig; }

/* Runs on the new thread with a foreign TLS base: system calls only. */
static int child(void *arg)
{
    (void)arg;
    while (!go)
        syscall(SYS_sched_yield);
    child_pid = syscall(SYS_getpid);
    child_tid = syscall(SYS_gettid);
    syscall(SYS_arch_prctl, ARCH_GET_FS, &child_fs);
    child_fd = syscall(SYS_openat, AT_FDCWD, "made-by-thread", O_CREAT | O_WRONLY, 0600);
    syscall(SYS_mkdir, "dir", 0700);
    syscall(SYS_chdir, "dir");
    /* The kernel's struct sigaction; never delivered, so no restorer. */
    struct { void *h; unsigned long flags; void *restorer; unsigned long mask; } sa = {on_usr1, 0, 0, 0};
    syscall(SYS_rt_sigaction, SIGUSR1, &sa, NULL, 8);
    return 0;
}

int main(void)
{
    size_t size = 128 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *(void **)tls_block = tls_block; /* x86_64 TLS blocks point to themselves */
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
                CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    ctid = 1; /* the kernel zeroes it when the thread exits */
    long tid = clone(child, stack + size, flags, NULL, &ptid, tls_block, &ctid);
    say("clone: %s", tid > 0 ? "a tid" : errname(errno));
    say("parent's tid word holds it: %d", ptid == tid);
    go = 1;
    raw_join(&ctid);
    say("child tid word cleared at exit: %d", ctid == 0);
    say("same process: %d, own tid: %d, tid as returned: %d", child_pid == getpid(), child_tid != getpid(), child_tid == tid);
    say("child's TLS base is the one given: %d", child_fs == (unsigned long)tls_block);
    unsigned long fs;
    syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
    say("parent's TLS base unchanged: %d", fs != (unsigned long)tls_block);
    say("descriptor opened by the thread is ours: %d", child_fd >= 0 && fcntl((int)child_fd, F_GETFD) >= 0);
    struct stat st;
    int here = stat("made-by-thread", &st) == 0;
    int above = stat("../made-by-thread", &st) == 0;
    say("working directory changed by the thread: file here %d, one level up %d", here, above);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    say("handler installed by the thread is ours: %d", old.sa_handler == on_usr1);
    return 0;
}
