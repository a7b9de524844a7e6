/*
 * futex_test.h: helpers shared by the futex and threads contracts.
 *
 * Raw futex(2) calls, a way to count the threads blocked on a futex
 * without waking them (so a test can wait until its waiters really sleep
 * before it wakes them, and its output stays deterministic), and "raw"
 * threads made with clone(2) directly, for tests that must end a thread
 * with the bare exit system call (a libc thread must end through its
 * libc). Include after contract.h.
 */
#ifndef FUTEX_TEST_H
#define FUTEX_TEST_H

#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The futex ABI (linux/futex.h; musl-gcc has no kernel headers). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_LOCK_PI_PRIVATE (FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_UNLOCK_PI_PRIVATE (FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_TRYLOCK_PI_PRIVATE (FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    ((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

struct robust_list {
    struct robust_list *next;
};

struct robust_list_head {
    struct robust_list list;
    long futex_offset;
    struct robust_list *list_op_pending;
};

/* futex(2) with a timeout pointer. */
static long futex_t(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
                    volatile uint32_t *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* futex(2) with a count (val2) in the timeout slot. */
static long futex_n(volatile uint32_t *uaddr, int op, uint32_t val, unsigned long val2,
                    volatile uint32_t *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static long gettid_raw(void) __attribute__((unused));
static long gettid_raw(void)
{
    return syscall(SYS_gettid);
}

/* Threads blocked on the futex at `uaddr` (FUTEX_PRIVATE_FLAG or 0 in
 * `priv`): all are moved to a scratch futex and back, in order, without
 * waking any. Not for PI futexes. */
static long futex_waiters(volatile uint32_t *uaddr, int priv) __attribute__((unused));
static long futex_waiters(volatile uint32_t *uaddr, int priv)
{
    static uint32_t scratch;
    for (;;) {
        uint32_t v = *uaddr;
        long n = futex_n(uaddr, FUTEX_CMP_REQUEUE | priv, 0, INT_MAX, &scratch, v);
        if (n < 0 && errno == EAGAIN)
            continue; /* the word changed under us: look again */
        if (n > 0)
            futex_n(&scratch, FUTEX_REQUEUE | priv, 0, INT_MAX, uaddr, 0);
        return n;
    }
}

/* Waits until at least `n` threads sleep on the futex at `uaddr`. */
static void await_waiters(volatile uint32_t *uaddr, int priv, long n) __attribute__((unused));
static void await_waiters(volatile uint32_t *uaddr, int priv, long n)
{
    while (futex_waiters(uaddr, priv) < n)
        usleep(1000);
}

/* Monotonic milliseconds. */
static long now_ms(void) __attribute__((unused));
static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* `base` clock now plus `ms` milliseconds. */
static struct timespec in_ms(clockid_t clock, long ms) __attribute__((unused));
static struct timespec in_ms(clockid_t clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* A raw thread: clone(2) with the flags libcs use for threads, its own
 * stack, sharing the caller's TLS (so it must only make system calls and
 * touch plain memory: no stdio, no malloc). `*ctid` holds its tid from
 * the return of clone (CLONE_PARENT_SETTID: CLONE_CHILD_SETTID alone
 * stores it only once the child runs) until it exits, then 0
 * (CLONE_CHILD_CLEARTID). */
#define RAW_THREAD_FLAGS \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
     CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)

static long raw_thread(int (*fn)(void *), void *arg, volatile uint32_t *ctid) __attribute__((unused));
static long raw_thread(int (*fn)(void *), void *arg, volatile uint32_t *ctid)
{
    size_t size = 256 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        return -1;
    return clone(fn, stack + size, RAW_THREAD_FLAGS, arg, (pid_t *)ctid, NULL, ctid);
}

/* Waits until the raw thread whose tid word is `ctid` has exited. */
static void raw_join(volatile uint32_t *ctid) __attribute__((unused));
static void raw_join(volatile uint32_t *ctid)
{
    uint32_t v;
    while ((v = *ctid) != 0)
        futex_t(ctid, FUTEX_WAIT, v, NULL, NULL, 0);
}

#endif
