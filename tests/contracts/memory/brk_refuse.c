/* brk refuses to move the break into another mapping (Linux also keeps
 * one free page between the break and the next mapping), or below the
 * start of the heap, and then returns the old break unchanged: the raw
 * system call never fails with an error. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>

static char *raw_brk(void *p) { return (char *)syscall(SYS_brk, p); }

int main(void)
{
    char *b0 = raw_brk(0);
    char *base = (char *)(((unsigned long)b0 + PG - 1) & ~(PG - 1));
    /* A mapping eight pages above the heap's start. */
    char *blocker = base + 8 * PG;
    char *m = mmap(blocker, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    say("blocker mapped: %d", m == blocker);
    char *near = blocker - PG;
    say("grow to one page below the blocker: %d", raw_brk(near) == near);
    say("grow to the blocker's start returns old break: %d", raw_brk(blocker) == near);
    say("grow into the blocker returns old break: %d", raw_brk(blocker + PG) == near);
    say("grow past the blocker returns old break: %d", raw_brk(blocker + 64 * PG) == near);
    say("break unchanged: %d", raw_brk(0) == near);
    say("blocker still mapped: %s", probe_write(blocker, 1));
    say("heap below intact: %s", probe_write(near - 1, 1));
    say("below the heap start returns old break: %d", raw_brk(b0 - PG) == near);
    say("absurd address returns old break: %d", raw_brk((void *)0x7ffffffff000UL) == near);
    say("kernel address returns old break: %d", raw_brk((void *)0xffff800000000000UL) == near);
    say("shrink works: %d", raw_brk(b0) == b0);
    munmap(blocker, PG);
    say("after munmap the heap can grow past: %d", raw_brk(blocker + PG) == blocker + PG);
    return 0;
}
