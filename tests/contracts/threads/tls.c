/* contract: glibc
 * Thread-local storage: each thread has its own copy of a __thread
 * variable, starting from the initial value; the TLS base (FS) differs
 * per thread and is the thread's pthread_self() on x86_64.
 * arch_prctl(ARCH_SET_FS/ARCH_GET_FS) set and read it, ARCH_SET_FS
 * refuses a non-canonical address, unknown codes are EINVAL. */
#include "contract.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static __thread int tv = 42;
static __thread char tbuf[64] = "initial";

struct seen {
    int initial_ok;
    int *addr;
    int final;
    unsigned long fs;
    unsigned long self;
};

static pthread_barrier_t b;

static void *thread(void *arg)
{
    struct seen *s = arg;
    s->initial_ok = tv == 42 && strcmp(tbuf, "initial") == 0;
    s->addr = &tv;
    syscall(SYS_arch_prctl, ARCH_GET_FS, &s->fs);
    s->self = (unsigned long)pthread_self();
    pthread_barrier_wait(&b); /* all threads hold their values at once */
    return NULL;
}

static long raw2(long n, long a, long b2)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b2) : "rcx", "r11", "memory");
    return r;
}

#define N 5
static struct seen seen[N];
static int values[N];

static void *setter(void *arg)
{
    long i = (long)arg;
    tv = 100 + (int)i;
    pthread_barrier_wait(&b);
    values[i] = tv;
    return NULL;
}

int main(void)
{
    pthread_barrier_init(&b, NULL, N);
    pthread_t t[N];
    tv = 7;
    strcpy(tbuf, "changed in main");
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, thread, &seen[i]);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    int init = 1, distinct = 1, fs_is_self = 1;
    for (int i = 0; i < N; i++) {
        init &= seen[i].initial_ok;
        fs_is_self &= seen[i].fs == seen[i].self;
        distinct &= seen[i].addr != &tv;
        for (int j = 0; j < i; j++)
            distinct &= seen[i].addr != seen[j].addr && seen[i].fs != seen[j].fs;
    }
    say("new threads start from the initial values: %d", init);
    say("own copies and own TLS bases: %d", distinct);
    say("TLS base is pthread_self(): %d", fs_is_self);
    say("main's copy untouched: %d %s", tv, tbuf);

    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, setter, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    say("values kept across a barrier: %d %d %d %d %d", values[0], values[1], values[2], values[3], values[4]);

    unsigned long fs = 0, got = 0;
    SAY("ARCH_GET_FS", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
    say("main's TLS base is pthread_self(): %d", fs == (unsigned long)pthread_self());
    /* Move FS to a copy of our thread block and back, with no libc call
     * in between (libc needs the real one). */
    static char copy[4096] __attribute__((aligned(64)));
    long r1 = raw2(SYS_arch_prctl, ARCH_SET_FS, (long)copy);
    long r2 = raw2(SYS_arch_prctl, ARCH_GET_FS, (long)&got);
    long r3 = raw2(SYS_arch_prctl, ARCH_SET_FS, (long)fs);
    say("ARCH_SET_FS to another block: %ld, read back: %ld %d, restored: %ld", r1, r2, got == (unsigned long)copy, r3);
    say("TLS works again: %d", tv == 7);
    SAY("ARCH_SET_FS non-canonical", syscall(SYS_arch_prctl, ARCH_SET_FS, 0x800000000000UL));
    SAY("ARCH_GET_FS to a bad pointer", syscall(SYS_arch_prctl, ARCH_GET_FS, 8));
    SAY("unknown code", syscall(SYS_arch_prctl, 0x1fff, 0));
    return 0;
}
