/* /proc/uptime ("up idle" in seconds with two decimals), /proc/loadavg
 * (three loads, running/total, last pid), /proc/version, /proc/filesystems
 * listing the types mount(2) takes. */
#include "procutil.h"

int main(void)
{
    double up, idle;
    int k = sscanf(get("/proc/uptime"), "%lf %lf", &up, &idle);
    say("uptime fields %d positive %d", k, up > 0);
    char *u = get("/proc/uptime");
    char *dot = strchr(u, '.');
    say("two decimals %d", dot && dot[3] == ' ');
    double a, b, c;
    int run, tot, last;
    k = sscanf(get("/proc/loadavg"), "%lf %lf %lf %d/%d %d", &a, &b, &c, &run, &tot, &last);
    say("loadavg fields %d running>=1 %d total>=running %d", k, run >= 1, tot >= run);
    say("version starts with 'Linux version ' %d", strncmp(get("/proc/version"), "Linux version ", 14) == 0);
    FILE *f = fopen("/proc/filesystems", "r");
    char line[64];
    int tmpfs = 0, proc = 0, nodev_proc = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "\ttmpfs\n")) tmpfs = 1;
        if (strstr(line, "\tproc\n")) { proc = 1; nodev_proc = strncmp(line, "nodev", 5) == 0; }
    }
    say("filesystems: tmpfs %d proc %d (nodev %d)", tmpfs, proc, nodev_proc);
    return 0;
}
