/* /proc/meminfo: the fields programs parse, in Linux's order and
 * format ("Name:  <n> kB"), with the relations that always hold. */
#include "procutil.h"

int main(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128], name[64];
    long v, total = -1, freem = -1, avail = -1, swapt = -1, swapf = -1;
    int n = 0, kb = 1;
    const char *want[] = { "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached" };
    int order_ok = 1;
    while (fgets(line, sizeof line, f)) {
        char unit[8] = "";
        int k = sscanf(line, "%63[^:]: %ld %7s", name, &v, unit);
        if (k < 2)
            continue;
        if (n < 5)
            order_ok &= strcmp(name, want[n]) == 0;
        if (k == 3)
            kb &= strcmp(unit, "kB") == 0;
        if (!strcmp(name, "MemTotal")) total = v;
        if (!strcmp(name, "MemFree")) freem = v;
        if (!strcmp(name, "MemAvailable")) avail = v;
        if (!strcmp(name, "SwapTotal")) swapt = v;
        if (!strcmp(name, "SwapFree")) swapf = v;
        n++;
    }
    say("first five in order %d units kB %d", order_ok, kb);
    say("free <= total %d available <= total %d", freem <= total && freem > 0, avail <= total && avail > 0);
    say("swap fields present %d free <= total %d", swapt >= 0 && swapf >= 0, swapf <= swapt);
    return 0;
}
