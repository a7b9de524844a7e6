/*
 * threads.c: thread stress. Hundreds of threads created and joined while
 * they fight over a mutex and a condition variable; futex ping-pong
 * between thread pairs; processes whose threads sleep in futexes, pipes
 * and condition variables ended by exit_group, by a fatal signal and by
 * execve from a non-leader thread, many times over; robust mutexes left
 * by killed processes. Every count must come out exact, and the free
 * memory the kernel reports must come back: a thread, its kernel stack or
 * a futex waiter leaked per round would show.
 *
 * Like leak.c, the memory tolerance is tight on Kevlar and loose on the
 * host Linux, where other processes move free memory.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvtest.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static long free_kib(void)
{
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        return -1;
    return (long)(si.freeram * si.mem_unit / 1024);
}

/* ---- churn: threads created and joined while contending ---- */

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static long counter, signals_seen;

static void *churn_worker(void *arg)
{
    long n = (long)arg;
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&m);
        counter++;
        pthread_cond_signal(&c);
        pthread_mutex_unlock(&m);
    }
    return (void *)n;
}

static void *churn_waiter(void *arg)
{
    long want = (long)arg;
    pthread_mutex_lock(&m);
    while (counter < want)
        pthread_cond_wait(&c, &m);
    signals_seen++;
    pthread_mutex_unlock(&m);
    return NULL;
}

static int churn(int rounds, int threads, long per)
{
    counter = 0;
    signals_seen = 0;
    long expected = 0;
    for (int r = 0; r < rounds; r++) {
        pthread_t t[16], w;
        expected += threads * per;
        if (pthread_create(&w, NULL, churn_waiter, (void *)expected))
            return -1;
        for (int i = 0; i < threads; i++)
            if (pthread_create(&t[i], NULL, churn_worker, (void *)per))
                return -1;
        long sum = 0;
        for (int i = 0; i < threads; i++) {
            void *v;
            pthread_join(t[i], &v);
            sum += (long)v;
        }
        pthread_join(w, NULL);
        if (sum != threads * per)
            return -1;
    }
    return counter == expected && signals_seen == rounds ? 0 : -1;
}

/* ---- ping-pong: two threads hand a token back and forth by futex ---- */

struct pair {
    uint32_t turn; /* 0: ping's turn, 1: pong's */
    long rounds;
    long done[2];
};

static void *player(void *arg)
{
    struct pair *p = (struct pair *)((uintptr_t)arg & ~(uintptr_t)1);
    uint32_t me = (uint32_t)((uintptr_t)arg & 1);
    for (long i = 0; i < p->rounds; i++) {
        while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != me)
            syscall(SYS_futex, &p->turn, FUTEX_WAIT_PRIVATE, 1 - me, NULL, NULL, 0);
        p->done[me]++;
        __atomic_store_n(&p->turn, 1 - me, __ATOMIC_RELEASE);
        syscall(SYS_futex, &p->turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static int ping_pong(int pairs, long rounds)
{
    struct pair p[8];
    pthread_t t[16];
    for (int i = 0; i < pairs; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].rounds = rounds;
        pthread_create(&t[2 * i], NULL, player, &p[i]);
        pthread_create(&t[2 * i + 1], NULL, player, (void *)((uintptr_t)&p[i] | 1));
    }
    for (int i = 0; i < 2 * pairs; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < pairs; i++)
        if (p[i].done[0] != rounds || p[i].done[1] != rounds)
            return -1;
    return 0;
}

/* ---- processes ended while their threads sleep ---- */

static uint32_t never;
static int pipefd[2];
static const char *self;

static void *sleep_futex(void *a)
{
    (void)a;
    for (;;)
        syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}
static void *sleep_pipe(void *a) { (void)a; char ch; read(pipefd[0], &ch, 1); return NULL; }
static void *sleep_cond(void *a)
{
    (void)a;
    pthread_mutex_lock(&m);
    for (;;)
        pthread_cond_wait(&c, &m);
    return NULL;
}

static void *ender(void *arg)
{
    long how = (long)arg;
    usleep(2000);
    if (how == 0)
        syscall(SYS_exit_group, 17);
    if (how == 1)
        kill(getpid(), SIGTERM);
    char *argv[] = {(char *)self, "--exit", "19", NULL};
    execv(self, argv);
    _exit(1);
}

/* A child with sleeping threads, ended three ways; its status must be
 * the one the ending chose. */
static int end_child(long how)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        pipe(pipefd);
        pthread_t t;
        for (int i = 0; i < 3; i++) {
            pthread_create(&t, NULL, sleep_futex, NULL);
            pthread_create(&t, NULL, sleep_pipe, NULL);
            pthread_create(&t, NULL, sleep_cond, NULL);
        }
        pthread_create(&t, NULL, ender, (void *)how);
        for (;;)
            pause();
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    if (how == 0)
        return WIFEXITED(st) && WEXITSTATUS(st) == 17 ? 0 : -1;
    if (how == 1)
        return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 19 ? 0 : -1;
}

/* ---- robust mutexes left by killed processes ---- */

static int robust_rounds(int rounds)
{
    pthread_mutex_t *rm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(rm, &a);
    int ok = 0;
    for (int r = 0; r < rounds; r++) {
        int p[2];
        pipe(p);
        pid_t pid = fork();
        if (pid == 0) {
            pthread_mutex_lock(rm);
            write(p[1], "x", 1);
            pause();
            _exit(0);
        }
        char ch;
        read(p[0], &ch, 1);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        if (pthread_mutex_lock(rm) == EOWNERDEAD && pthread_mutex_consistent(rm) == 0 && pthread_mutex_unlock(rm) == 0)
            ok++;
        close(p[0]);
        close(p[1]);
    }
    munmap(rm, 4096);
    return ok == rounds ? 0 : -1;
}

static void expect(const char *name, int r)
{
    check(name, r == 0, "wrong count or status");
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--exit") == 0)
        return atoi(argv[2]);
    self = argv[0];
    struct utsname u;
    uname(&u);
    int on_kevlar = strstr(u.release, "kevlar") != 0;
    long tolerance_kib = on_kevlar ? 512 : 64 * 1024;

    /* Warm up (libc and kernel caches), then measure. */
    churn(2, 4, 10);
    long before = free_kib();

    expect("churn: 60 rounds of 8 contending threads plus a condvar waiter", churn(60, 8, 200));
    expect("futex ping-pong: 4 pairs x 500 hand-offs", ping_pong(4, 500));
    int ends = 0;
    for (int i = 0; i < 10; i++)
        ends += end_child(0) == 0;
    expect("exit_group with 9 sleeping threads, x10", ends == 10 ? 0 : -1);
    ends = 0;
    for (int i = 0; i < 10; i++)
        ends += end_child(1) == 0;
    expect("fatal signal with 9 sleeping threads, x10", ends == 10 ? 0 : -1);
    ends = 0;
    for (int i = 0; i < 10; i++)
        ends += end_child(2) == 0;
    expect("execve from a thread with 9 sleeping threads, x10", ends == 10 ? 0 : -1);
    expect("robust mutex left by a killed process, x20", robust_rounds(20));

    long after = free_kib();
    if (before < 0 || after < 0)
        fail("free memory comes back", "sysinfo failed");
    else if (before - after > tolerance_kib)
        fail("free memory comes back", "%ld KiB lost (tolerance %ld)", before - after, tolerance_kib);
    else
        pass("free memory comes back");

    return summary();
}
