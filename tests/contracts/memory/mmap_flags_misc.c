/* Less common mmap flags: MAP_32BIT places the mapping in the low 2 GiB;
 * MAP_STACK, MAP_DENYWRITE and MAP_EXECUTABLE are accepted and change
 * nothing; MAP_LOCKED faults the pages in; MAP_POPULATE|MAP_NONBLOCK does
 * not; MAP_DROPPABLE gives private memory that a fork child sees wiped. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif

int main(void)
{
    char *a = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    say("MAP_32BIT mapped: %d, below 2 GiB: %d", a != MAP_FAILED, (unsigned long)a + 4 * PG <= 0x80000000UL);
    a[0] = 1;
    char *s = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_DENYWRITE | MAP_EXECUTABLE, -1, 0);
    say("MAP_STACK|MAP_DENYWRITE|MAP_EXECUTABLE: %d, resident %s", s != MAP_FAILED, resident(s, 4));
    say("store: %s", probe_write(s + PG, 1));
    char *l = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    say("MAP_LOCKED: %d, resident %s", l != MAP_FAILED, resident(l, 4));
    SAY("DONTNEED on it", madvise(l, PG, MADV_DONTNEED));
    char *n = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NONBLOCK, -1, 0);
    say("MAP_POPULATE|MAP_NONBLOCK: %d, resident %s", n != MAP_FAILED, resident(n, 4));
    errno = 0;
    char *d = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
    say("MAP_DROPPABLE: %s", d == MAP_FAILED ? errname(errno) : "mapped");
    if (d != MAP_FAILED) {
        d[0] = 'd';
        say("reads back: %c", d[0]);
        pid_t pid = fork();
        if (pid == 0) {
            say("child sees: %d", d[0]);
            _exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        say("parent still: %c", d[0]);
    }
    errno = 0;
    char *df = mmap(0, PG, PROT_READ, MAP_DROPPABLE, 0, 0);
    say("MAP_DROPPABLE with a file: %s", df == MAP_FAILED ? errname(errno) : "mapped");
    return 0;
}
