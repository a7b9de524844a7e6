/* sched_yield, sched_getaffinity (CPU 0 present), sched_getscheduler,
 * priorities (nice), getpriority/setpriority. */
#include "contract.h"
#include <sched.h>
#include <sys/syscall.h>
#include <sys/resource.h>

int main(void)
{
    SAY("sched_yield", sched_yield());
    cpu_set_t set;
    CPU_ZERO(&set);
    SAY("sched_getaffinity returns bytes>0", sched_getaffinity(0, sizeof set, &set) == 0);
    say("cpu 0 in mask: %d", CPU_ISSET(0, &set));
    SAY("sched_getaffinity tiny buffer", syscall(204, 0, 1, &set));
    SAY("sched_getscheduler", syscall(SYS_sched_getscheduler, 0));
    struct sched_param sp;
    sp.sched_priority = -1;
    SAY("sched_getparam", syscall(SYS_sched_getparam, 0, &sp));
    say("priority: %d", sp.sched_priority);
    SAY("sched_get_priority_max(SCHED_FIFO)", sched_get_priority_max(SCHED_FIFO));
    SAY("sched_get_priority_min(SCHED_FIFO)", sched_get_priority_min(SCHED_FIFO));
    SAY("sched_get_priority_max(OTHER)", sched_get_priority_max(SCHED_OTHER));
    SAY("getpriority", getpriority(PRIO_PROCESS, 0));
    SAY("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    SAY("getpriority after", getpriority(PRIO_PROCESS, 0));
    SAY("nice(2) returns new nice", nice(2));
    SAY("sched_getscheduler bad pid", syscall(SYS_sched_getscheduler, 999999));
    SAY("sched_setscheduler FIFO as root", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &(struct sched_param){.sched_priority = 10}));
    SAY("sched_getscheduler now", syscall(SYS_sched_getscheduler, 0));
    SAY("sched_setscheduler back to OTHER", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &(struct sched_param){.sched_priority = 0}));
    SAY("sched_setscheduler OTHER prio 5", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &(struct sched_param){.sched_priority = 5}));
    SAY("sched_rr_get_interval", syscall(SYS_sched_rr_get_interval, 0, &(struct timespec){0}));
    return 0;
}
