/* MS_REMOUNT changes the file system's options and state; the atime
 * policy is kept unless named. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mount("m", "t/m", "tmpfs", MS_NOATIME, "size=1m");
    show_mount("t/m");
    OK("remount ro", mount(NULL, "t/m", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    show_mount("t/m");
    OK("remount rw with a new size", mount(NULL, "t/m", NULL, MS_REMOUNT, "size=2m"));
    show_mount("t/m");
    struct statfs sf;
    statfs("t/m", &sf);
    say("bytes %ld", (long)(sf.f_blocks * sf.f_bsize));
    OK("remount strictatime,noexec", mount(NULL, "t/m", NULL, MS_REMOUNT | MS_STRICTATIME | MS_NOEXEC, NULL));
    show_mount("t/m");
    SAY("remount of t (a mount point)", mount(NULL, "t", NULL, MS_REMOUNT, NULL));
    mkdir("t/m/d", 0755);
    SAY("remount of a directory inside", mount(NULL, "t/m/d", NULL, MS_REMOUNT, NULL));
    SAY("remount with an unknown option", mount(NULL, "t/m", NULL, MS_REMOUNT, "bogus"));
    return 0;
}
