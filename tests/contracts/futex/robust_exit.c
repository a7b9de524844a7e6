/* When a thread dies, the kernel walks its robust list: each futex word
 * there that still names the thread gets FUTEX_OWNER_DIED (tid cleared,
 * FUTEX_WAITERS kept) and, if it had waiters, one is woken. Words owned
 * by others are left alone; a pending entry whose word is 0 gets a
 * wake-up (the owner may have died between unlock and wake); a circular
 * list does not hang the walk. The kernel's wake-ups are shared futex
 * operations, so waiters use shared FUTEX_WAIT (as glibc's robust
 * mutexes do). */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>
#include <stddef.h>

struct lock {
    struct robust_list link;
    uint32_t pad;
    uint32_t word;
};

static struct lock held_waited, held, others, pending, looped;
static struct robust_list_head head;
static volatile int ready, circular;
static volatile uint32_t ctid;

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000};
    syscall(SYS_nanosleep, &ts, NULL);
}

/* A raw thread: system calls and plain stores only. */
static int owner(void *arg)
{
    (void)arg;
    uint32_t me = (uint32_t)syscall(SYS_gettid);
    head.futex_offset = offsetof(struct lock, word) - offsetof(struct lock, link);
    if (circular) {
        looped.word = me;
        head.list.next = &looped.link;
        looped.link.next = &looped.link; /* never gets back to the head */
        head.list_op_pending = NULL;
    } else {
        held_waited.word = me;
        held.word = me;
        others.word = 12345;
        pending.word = 0;
        head.list.next = &held_waited.link;
        held_waited.link.next = &held.link;
        held.link.next = &others.link;
        others.link.next = &head.list;
        head.list_op_pending = &pending.link;
    }
    syscall(SYS_set_robust_list, &head, sizeof head);
    ready = 1;
    /* Die once the waiters sleep. */
    while (!circular && !(futex_waiters(&held_waited.word, 0) == 1 && futex_waiters(&pending.word, 0) == 1))
        pause_ms(1);
    syscall(SYS_exit, 0);
    return 0;
}

static long pending_r;

static void *wait_pending(void *arg)
{
    (void)arg;
    pending_r = futex_t(&pending.word, FUTEX_WAIT, 0, NULL, NULL, 0);
    return NULL;
}

static void show(const char *name, uint32_t v)
{
    say("%s: tid %s%s%s", name, (v & FUTEX_TID_MASK) == 0 ? "cleared" : (v & FUTEX_TID_MASK) == 12345 ? "12345" : "dead thread's",
        v & FUTEX_WAITERS ? " +WAITERS" : "", v & FUTEX_OWNER_DIED ? " +OWNER_DIED" : "");
}

int main(void)
{
    raw_thread(owner, NULL, &ctid);
    while (!ready)
        usleep(1000);
    pthread_t t;
    pthread_create(&t, NULL, wait_pending, NULL);
    /* Lock the way user space does when contended: set FUTEX_WAITERS, then
     * wait on the value with it. */
    uint32_t v = __atomic_or_fetch(&held_waited.word, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
    long r;
    while ((r = futex_t(&held_waited.word, FUTEX_WAIT, v, NULL, NULL, 0)) != 0 && errno == EINTR)
        ;
    SAY("waiter on the dead thread's lock woke", r);
    raw_join(&ctid);
    pthread_join(t, NULL);
    say("waiter on the pending word woke: %ld", pending_r);
    show("lock with a waiter", held_waited.word);
    show("lock without waiters", held.word);
    show("lock owned by another", others.word);
    show("pending word", pending.word);

    circular = 1;
    ready = 0;
    raw_thread(owner, NULL, &ctid);
    raw_join(&ctid);
    show("lock on a circular list", looped.word);
    return 0;
}
