/* contract: glibc
 * clone3(2): a thread made with the same flags as clone's threads, a
 * fork-like child, CLONE_CLEAR_SIGHAND, and the argument checks (size,
 * unknown flags, exit signal, stack, CLONE_THREAD with an exit signal). */
#include "contract.h"
#include "../futex/futex_test.h"
#include <stdint.h>
#include <sys/wait.h>

struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

#define CLONE_CLEAR_SIGHAND_ 0x100000000ULL

static volatile uint32_t ctid;
static uint32_t ptid, go;
static volatile long child_tid, child_pid;

/* clone3 with a new stack: the child must not return into C code that
 * expects the parent's stack, so it runs `fn` and exits right here. */
static long clone3_thread(struct clone_args_v2 *a, void (*fn)(void))
{
    long ret;
    register void (*f)(void) __asm__("r12") = fn;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "call *%%r12\n\t"
                     "mov $60, %%eax\n\t" /* SYS_exit */
                     "xor %%edi, %%edi\n\t"
                     "syscall\n\t"
                     "1:"
                     : "=a"(ret)
                     : "a"(SYS_clone3), "D"(a), "S"(sizeof *a), "r"(f)
                     : "rcx", "r11", "memory");
    return ret;
}

static void thread_body(void)
{
    child_pid = syscall(SYS_getpid);
    child_tid = syscall(SYS_gettid);
    while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
        futex_t(&go, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static long c3(struct clone_args_v2 *a, size_t size)
{
    return syscall(SYS_clone3, a, size);
}

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
    size_t size = 128 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct clone_args_v2 a = {0};
    a.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
              CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    a.child_tid = (uintptr_t)&ctid;
    a.parent_tid = (uintptr_t)&ptid;
    a.stack = (uintptr_t)stack;
    a.stack_size = size;
    long tid = clone3_thread(&a, thread_body);
    say("clone3 thread: %s", tid > 0 ? "a tid" : errname((int)-tid));
    say("parent tid word: %d", ptid == tid);
    while (!child_tid)
        usleep(1000);
    say("child tid word: %d", ctid == tid);
    __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
    futex_n(&go, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    raw_join(&ctid);
    say("thread ran in this process: %d, with that tid: %d", child_pid == getpid(), child_tid == tid);

    /* A fork-like child: no flags, SIGCHLD. */
    struct clone_args_v2 f = {0};
    f.exit_signal = SIGCHLD;
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    long pid = c3(&f, sizeof f);
    if (pid == 0) {
        struct sigaction s1, s2;
        sigaction(SIGUSR1, NULL, &s1);
        sigaction(SIGUSR2, NULL, &s2);
        _exit(s1.sa_handler == on_usr1 && s2.sa_handler == SIG_IGN ? 3 : 4);
    }
    int st;
    waitpid((pid_t)pid, &st, 0);
    say("fork-like child keeps handlers: %s", wstatus(st));
    f.flags = CLONE_CLEAR_SIGHAND_;
    pid = c3(&f, sizeof f);
    if (pid == 0) {
        struct sigaction s1, s2;
        sigaction(SIGUSR1, NULL, &s1);
        sigaction(SIGUSR2, NULL, &s2);
        _exit(s1.sa_handler == SIG_DFL && s2.sa_handler == SIG_IGN ? 5 : 6);
    }
    waitpid((pid_t)pid, &st, 0);
    say("CLONE_CLEAR_SIGHAND child: %s", wstatus(st));

    struct clone_args_v2 b = {0};
    b.exit_signal = SIGCHLD;
    SAY("size 0", c3(&b, 0));
    SAY("size 63", c3(&b, 63));
    SAY("size 4097", c3(&b, 4097));
    SAY("bad pointer", c3((void *)8, sizeof b));
    struct {
        struct clone_args_v2 a;
        uint64_t extra;
    } big = {b, 1};
    SAY("unknown trailing field set", c3(&big.a, sizeof big));
    b.flags = 1ULL << 40;
    SAY("unknown flag", c3(&b, sizeof b));
    b.flags = 0x00400000; /* CLONE_DETACHED */
    SAY("CLONE_DETACHED", c3(&b, sizeof b));
    b.flags = SIGCHLD;
    SAY("signal number in flags", c3(&b, sizeof b));
    b.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND_;
    SAY("CLONE_SIGHAND with CLONE_CLEAR_SIGHAND", c3(&b, sizeof b));
    b.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
    SAY("CLONE_THREAD with an exit signal", c3(&b, sizeof b));
    b.flags = 0;
    b.exit_signal = 65;
    SAY("exit signal 65", c3(&b, sizeof b));
    b.exit_signal = 1ULL << 32 | SIGCHLD;
    SAY("exit signal high bits", c3(&b, sizeof b));
    b.exit_signal = SIGCHLD;
    b.stack = (uintptr_t)stack;
    SAY("stack without size", c3(&b, sizeof b));
    b.stack = 0;
    b.stack_size = 4096;
    SAY("size without stack", c3(&b, sizeof b));
    b.stack_size = 0;
    b.flags = CLONE_THREAD;
    b.exit_signal = 0;
    SAY("CLONE_THREAD without CLONE_SIGHAND", c3(&b, sizeof b));
    return 0;
}
