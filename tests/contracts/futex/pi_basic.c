/* PI futex ownership, by one thread: LOCK_PI writes the caller's tid
 * into a free word (keeping FUTEX_OWNER_DIED), EDEADLK on a lock it owns;
 * UNLOCK_PI frees it, EPERM on a lock it does not own; a word naming a
 * thread that does not exist gives ESRCH (after FUTEX_WAITERS is set). */
#include "contract.h"
#include "futex_test.h"

static uint32_t w;

static void show(const char *label)
{
    uint32_t v = w, me = (uint32_t)gettid_raw();
    const char *owner = (v & FUTEX_TID_MASK) == 0 ? "none" : (v & FUTEX_TID_MASK) == me ? "me" : "other";
    say("  %s: owner %s%s%s", label, owner, v & FUTEX_WAITERS ? " +WAITERS" : "", v & FUTEX_OWNER_DIED ? " +OWNER_DIED" : "");
}

int main(void)
{
    SAY("lock free word", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after lock");
    SAY("lock again", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("trylock own lock", futex_t(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("unlock", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after unlock");
    SAY("unlock free word", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("trylock free word", futex_t(&w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    show("after trylock (shared)");
    SAY("shared unlock", futex_t(&w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));

    w = FUTEX_OWNER_DIED;
    SAY("lock word with only OWNER_DIED", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after lock");
    SAY("unlock", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after unlock");

    w = (uint32_t)gettid_raw() | FUTEX_WAITERS;
    SAY("unlock own word with WAITERS but no waiters", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after unlock");

    w = 0x3ffffff0;
    SAY("lock word of a thread that does not exist", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("after ESRCH");
    w = 0x3ffffff0;
    SAY("trylock word of a thread that does not exist", futex_t(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("unlock another thread's word", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    w = 1 | FUTEX_WAITERS; /* init's tid: a live thread of another process */
    SAY("trylock word of init", futex_t(&w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    show("after trylock of init's word");

    SAY("lock NULL", futex_t(NULL, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("lock misaligned", futex_t((void *)((char *)&w + 1), FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("unlock NULL", futex_t(NULL, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("lock read-only free word", futex_t(ro, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("trylock read-only free word", futex_t(ro, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    return 0;
}
