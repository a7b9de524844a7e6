/*
 * sched.c: the scheduler preempts a process that never makes a system
 * call. A child spins on a flag in shared memory without yielding; the
 * parent can only get the CPU back (to set the flag) through timer
 * preemption. Without it, this test hangs and the suite's time limit
 * fails it.
 */
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvtest.h"

int main(void)
{
    volatile int *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        fail("mmap-shared", "mmap failed");
        return summary();
    }
    fflush(stdout);
    /* shared[0]: child started; shared[1]: stop; shared[2]: child's loops */
    pid_t pid = fork();
    if (pid == 0) {
        shared[0] = 1;
        unsigned long n = 0;
        while (!shared[1])
            n++;
        shared[2] = n != 0;
        _exit(0);
    }
    while (!shared[0])
        sched_yield();
    /* From here the child spins; we run again only if it is preempted. */
    shared[1] = 1;
    int status = -1;
    pid_t w = waitpid(pid, &status, 0);
    check("preempted-spinner", w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child did not exit cleanly");
    check("shared-anon-across-fork", shared[2] == 1, "child's store to MAP_SHARED memory not seen by the parent");

    /* Two spinners make progress side by side. */
    shared[0] = shared[1] = 0;
    pid_t a = fork();
    if (a == 0) {
        while (!shared[1])
            shared[0]++;
        _exit(0);
    }
    int before = shared[0];
    unsigned long spins = 0;
    while (shared[0] == before && spins < 4000000000UL)
        spins++;
    check("both-spinners-progress", shared[0] != before, "the other spinner never ran");
    shared[1] = 1;
    waitpid(a, &status, 0);

    return summary();
}
