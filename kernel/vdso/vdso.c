/*
 * Kevlar's vDSO: the time calls answered in user space from the data page
 * the kernel maps just below this image ([vvar]). The kernel's clocks are
 * linear in the TSC (hal::arch::time): monotonic = (tsc - tsc_boot) * mult
 * >> 32, realtime = monotonic + realtime_base; the page holds those
 * numbers under a sequence counter (odd while the kernel rewrites them).
 * Anything else falls back to the system call.
 */
#include <stdint.h>

struct vdso_data {
    volatile uint32_t seq;
    uint32_t pad;
    volatile uint64_t tsc_boot;
    volatile uint64_t mult;
    volatile int64_t realtime_base;
};

struct kts { int64_t tv_sec; int64_t tv_nsec; };
struct ktv { int64_t tv_sec; int64_t tv_usec; };

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME 7

#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_clock_getres 229
#define SYS_getcpu 309

extern const char __ehdr_start[] __attribute__((visibility("hidden")));

static inline const struct vdso_data *data(void)
{
    return (const struct vdso_data *)(__ehdr_start - 4096);
}

static inline long syscall2(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

static inline long syscall3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Nanoseconds of CLOCK_MONOTONIC (realtime: plus the base). */
static uint64_t read_ns(int realtime)
{
    const struct vdso_data *d = data();
    for (;;) {
        uint32_t s = d->seq;
        __asm__ volatile("" ::: "memory");
        if (s & 1)
            continue;
        uint64_t delta = rdtsc() - d->tsc_boot;
        uint64_t ns = (uint64_t)(((unsigned __int128)delta * d->mult) >> 32);
        int64_t base = d->realtime_base;
        __asm__ volatile("" ::: "memory");
        if (d->seq != s)
            continue;
        if (realtime) {
            int64_t r = (int64_t)ns + base;
            return r < 0 ? 0 : (uint64_t)r;
        }
        return ns;
    }
}

int __vdso_clock_gettime(int clk, struct kts *ts)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_MONOTONIC_RAW && clk != CLOCK_BOOTTIME)
        return (int)syscall2(SYS_clock_gettime, clk, (long)ts);
    uint64_t ns = read_ns(clk == CLOCK_REALTIME);
    ts->tv_sec = (int64_t)(ns / 1000000000u);
    ts->tv_nsec = (int64_t)(ns % 1000000000u);
    return 0;
}

int __vdso_gettimeofday(struct ktv *tv, void *tz)
{
    if (tz)
        return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
    if (tv) {
        uint64_t ns = read_ns(1);
        tv->tv_sec = (int64_t)(ns / 1000000000u);
        tv->tv_usec = (int64_t)(ns % 1000000000u / 1000u);
    }
    return 0;
}

int64_t __vdso_time(int64_t *t)
{
    int64_t s = (int64_t)(read_ns(1) / 1000000000u);
    if (t)
        *t = s;
    return s;
}

int __vdso_clock_getres(int clk, struct kts *res)
{
    return (int)syscall2(SYS_clock_getres, clk, (long)res);
}

int __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
    return (int)syscall3(SYS_getcpu, (long)cpu, (long)node, (long)cache);
}

int clock_gettime(int, struct kts *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct ktv *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, struct kts *) __attribute__((weak, alias("__vdso_clock_getres")));
int getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
