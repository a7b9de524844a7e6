/* sysfs as programs probe it: the top-level directories, the device
 * numbers of the memory and tty devices, the CPU lists agreeing with
 * the CPUs the process may use, cgroup's mount point, and its magic. */
#include "procutil.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/statfs.h>


static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(void)
{
    const char *dirs[] = { "/sys/block", "/sys/bus", "/sys/class", "/sys/dev", "/sys/dev/block", "/sys/dev/char",
                           "/sys/devices", "/sys/devices/system/cpu", "/sys/firmware", "/sys/fs", "/sys/fs/cgroup",
                           "/sys/kernel", "/sys/kernel/mm", "/sys/module", "/sys/class/tty", "/sys/class/mem", "/sys/class/net" };
    for (unsigned i = 0; i < sizeof dirs / sizeof *dirs; i++)
        say("%s: dir %d", dirs[i], is_dir(dirs[i]));
    say("mem/null/dev: %s", get("/sys/class/mem/null/dev"));
    say("mem/zero/dev: %s", get("/sys/class/mem/zero/dev"));
    say("tty/console/dev: %s", get("/sys/class/tty/console/dev"));
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    int n = CPU_COUNT(&set);
    char want[32];
    if (n == 1)
        snprintf(want, sizeof want, "0");
    else
        snprintf(want, sizeof want, "0-%d", n - 1);
    say("cpu/online is the affinity's CPUs: %d", !strcmp(get("/sys/devices/system/cpu/online"), want));
    say("cpu/possible covers online: %d", !strcmp(get("/sys/devices/system/cpu/possible"), want));
    say("cpu0 dir: %d", is_dir("/sys/devices/system/cpu/cpu0"));
    struct statfs sf;
    statfs("/sys", &sf);
    say("sysfs magic: %d", sf.f_type == 0x62656572);
    int fd = open("/sys/class/mem/null/dev", O_WRONLY);
    say("open a read-only attribute for writing: %s", fd < 0 ? errname(errno) : "opened");
    fd = open("/sys/class/newfile", O_CREAT | O_WRONLY, 0644);
    say("create in sysfs: %s", fd < 0 ? errname(errno) : "created");
    say("mkdir in sysfs: %s", mkdir("/sys/kernel/newdir", 0755) < 0 ? errname(errno) : "made");
    say("symlink in sysfs: %s", symlink("x", "/sys/kernel/newlink") < 0 ? errname(errno) : "made");
    say("mkdir in /proc: %s", mkdir("/proc/newdir", 0755) < 0 ? errname(errno) : "made");
    fd = open("/proc/newfile", O_CREAT | O_WRONLY, 0644);
    say("create in /proc: %s", fd < 0 ? errname(errno) : "created");
    return 0;
}
