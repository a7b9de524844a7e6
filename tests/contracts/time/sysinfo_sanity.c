/* sysinfo: uptime > 0 and consistent with CLOCK_BOOTTIME, memory figures
 * non-zero and ordered, mem_unit >= 1, at least one process. */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>

int main(void)
{
    struct sysinfo si;
    struct timespec b0, b1;
    clock_gettime(CLOCK_BOOTTIME, &b0);
    OK("sysinfo", sysinfo(&si));
    clock_gettime(CLOCK_BOOTTIME, &b1);
    say("uptime > 0: %d", si.uptime > 0);
    say("uptime matches BOOTTIME seconds: %d", si.uptime >= b0.tv_sec && si.uptime <= b1.tv_sec + 1);
    say("totalram > 0: %d", si.totalram > 0);
    say("freeram <= totalram: %d", si.freeram <= si.totalram);
    say("mem_unit >= 1: %d", si.mem_unit >= 1);
    say("totalram at least 16 MiB: %d", (unsigned long long)si.totalram * si.mem_unit >= 16ULL << 20);
    say("procs >= 1: %d", si.procs >= 1);
    say("freeswap <= totalswap: %d", si.freeswap <= si.totalswap);
    SAY("bad pointer", syscall(SYS_sysinfo, (void *)16));
    return 0;
}
