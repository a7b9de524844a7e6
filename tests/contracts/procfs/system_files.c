/* System-wide /proc files have Linux's shape (not host-specific values). */
#include "contract.h"
#include <fcntl.h>

static int slurp(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int n = 0, r;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(fd);
    return n;
}

int main(void)
{
    static char buf[65536];
    slurp("/proc/meminfo", buf, sizeof buf);
    unsigned long total = 0, freemem = 0;
    sscanf(strstr(buf, "MemTotal:") + 9, "%lu", &total);
    sscanf(strstr(buf, "MemFree:") + 8, "%lu", &freemem);
    say("meminfo: MemTotal first line %d, free <= total %d, has MemAvailable %d, unit kB %d", strncmp(buf, "MemTotal:", 9) == 0,
        freemem <= total && total > 0, strstr(buf, "MemAvailable:") != 0, strstr(buf, " kB\n") != 0);
    slurp("/proc/uptime", buf, sizeof buf);
    double up = -1, idle = -1;
    int fields = sscanf(buf, "%lf %lf", &up, &idle);
    say("uptime: %d fields, positive %d, two decimals %d", fields, up > 0, strchr(buf, '.') && strchr(buf, '.')[3] == ' ');
    slurp("/proc/loadavg", buf, sizeof buf);
    double a, b, c;
    int run, total_threads, last;
    fields = sscanf(buf, "%lf %lf %lf %d/%d %d", &a, &b, &c, &run, &total_threads, &last);
    say("loadavg: %d fields, running <= total %d", fields, run <= total_threads);
    slurp("/proc/stat", buf, sizeof buf);
    say("stat: starts with 'cpu  ' %d, has btime %d, has ctxt %d, has processes %d", strncmp(buf, "cpu  ", 5) == 0,
        strstr(buf, "\nbtime ") != 0, strstr(buf, "\nctxt ") != 0, strstr(buf, "\nprocesses ") != 0);
    slurp("/proc/version", buf, sizeof buf);
    say("version starts with 'Linux version ': %d", strncmp(buf, "Linux version ", 14) == 0);
    slurp("/proc/filesystems", buf, sizeof buf);
    say("filesystems lists proc %d tmpfs %d sysfs %d", strstr(buf, "\tproc\n") != 0, strstr(buf, "\ttmpfs\n") != 0,
        strstr(buf, "\tsysfs\n") != 0);
    slurp("/proc/mounts", buf, sizeof buf);
    say("mounts has a proc mount on /proc: %d", strstr(buf, " /proc proc ") != 0);
    slurp("/proc/cpuinfo", buf, sizeof buf);
    say("cpuinfo starts with processor: %d, has flags %d", strncmp(buf, "processor\t: 0", 13) == 0, strstr(buf, "\nflags\t\t: ") != 0);
    slurp("/proc/sys/kernel/ostype", buf, sizeof buf);
    say("ostype: %s", strtok(buf, "\n"));
    slurp("/proc/sys/kernel/random/uuid", buf, sizeof buf);
    say("uuid: length %zu, version 4 %d", strlen(buf), buf[14] == '4');
    char u2[64];
    slurp("/proc/sys/kernel/random/boot_id", buf, sizeof buf);
    slurp("/proc/sys/kernel/random/boot_id", u2, sizeof u2);
    say("boot_id stable: %d", strcmp(buf, u2) == 0);
    SAY("write to a read-only sysctl", ({ int fd = open("/proc/sys/kernel/ostype", O_WRONLY); fd < 0 ? -1 : write(fd, "x", 1); }));
    return 0;
}
