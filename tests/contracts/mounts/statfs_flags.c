/* statfs f_flags reflect the mount's flags (ST_VALID always). */
#include "mnt.h"

static void show(const char *label, unsigned long flags)
{
    mkdir("t/m", 0755);
    if (mount("m", "t/m", "tmpfs", flags, NULL) < 0) {
        say("%s: %s", label, errname(errno));
        return;
    }
    struct statfs sf;
    statfs("t/m", &sf);
    int fd = open("t/m", O_RDONLY);
    struct statfs sf2;
    fstatfs(fd, &sf2);
    close(fd);
    say("%s: f_flags %#lx fstatfs same %d", label, (unsigned long)sf.f_flags, sf.f_flags == sf2.f_flags);
    umount("t/m");
}

int main(void)
{
    isolate();
    show("default", 0);
    show("ro", MS_RDONLY);
    show("nosuid", MS_NOSUID);
    show("nodev", MS_NODEV);
    show("noexec", MS_NOEXEC);
    show("noatime", MS_NOATIME);
    show("nodiratime", MS_NODIRATIME);
    show("strictatime", MS_STRICTATIME);
    show("all", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME);
    return 0;
}
