/* A thread dies holding a PI lock. If a thread waits for it, the kernel
 * passes the lock to that waiter, marked FUTEX_OWNER_DIED, whether or not
 * the lock was on the dead thread's robust list. With no waiter, a robust
 * lock is left free but marked FUTEX_OWNER_DIED (the next LOCK_PI takes
 * it and keeps the mark); a non-robust one keeps naming the dead thread,
 * so LOCK_PI fails with ESRCH. */
#include "contract.h"
#include "futex_test.h"
#include <stddef.h>

struct lock {
    struct robust_list link;
    uint32_t word;
};

static struct lock lk;
static struct robust_list_head head;
static volatile int robust, wait_for_waiter, ready;
static volatile uint32_t ctid;

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000};
    syscall(SYS_nanosleep, &ts, NULL);
}

/* Runs as a raw thread: system calls only. */
static int owner(void *arg)
{
    (void)arg;
    if (robust) {
        head.list.next = (struct robust_list *)((uintptr_t)&lk.link | 1); /* bit 0: a PI lock */
        lk.link.next = &head.list;
        head.futex_offset = offsetof(struct lock, word) - offsetof(struct lock, link);
        head.list_op_pending = NULL;
        syscall(SYS_set_robust_list, &head, sizeof head);
    }
    if (futex_t(&lk.word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0) != 0)
        syscall(SYS_exit, 1);
    ready = 1;
    while (wait_for_waiter && !(__atomic_load_n(&lk.word, __ATOMIC_SEQ_CST) & FUTEX_WAITERS))
        pause_ms(1);
    syscall(SYS_exit, 0); /* dies holding the lock */
    return 0;
}

static void show(const char *label)
{
    uint32_t v = lk.word, me = (uint32_t)gettid_raw();
    const char *who = (v & FUTEX_TID_MASK) == 0 ? "none" : (v & FUTEX_TID_MASK) == me ? "me" : "dead thread";
    say("  %s: owner %s%s%s", label, who, v & FUTEX_WAITERS ? " +WAITERS" : "", v & FUTEX_OWNER_DIED ? " +OWNER_DIED" : "");
}

static void scenario(const char *name, int is_robust, int waiter)
{
    say("%s:", name);
    lk.word = 0;
    robust = is_robust;
    wait_for_waiter = waiter;
    ready = 0;
    ctid = 0;
    if (raw_thread(owner, NULL, &ctid) < 0)
        say("  clone failed: %s", errname(errno));
    while (!ready)
        usleep(1000);
    if (waiter)
        SAY("  LOCK_PI while the owner lives", futex_t(&lk.word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    raw_join(&ctid);
    show("after the owner died");
    if (!waiter)
        SAY("  LOCK_PI after the owner died", futex_t(&lk.word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("then");
    if ((lk.word & FUTEX_TID_MASK) == (uint32_t)gettid_raw())
        SAY("  UNLOCK_PI", futex_t(&lk.word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("at the end");
}

int main(void)
{
    scenario("robust lock, waiter blocked", 1, 1);
    scenario("non-robust lock, waiter blocked", 0, 1);
    scenario("robust lock, no waiter", 1, 0);
    scenario("non-robust lock, no waiter", 0, 0);
    return 0;
}
