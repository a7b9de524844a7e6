/* Without CAP_SYS_ADMIN mount, umount2, unshare(CLONE_NEWNS) and
 * pivot_root fail with EPERM (after the path lookup). */
#include "mnt.h"

static void unprivileged(void)
{
    if (setuid(65534) < 0)
        say("setuid failed");
    SAY("mount", mount("x", "t/d", "tmpfs", 0, NULL));
    SAY("mount on a missing path", mount("x", "t/missing", "tmpfs", 0, NULL));
    SAY("umount2", umount2("t/d", 0));
    SAY("umount2 of a missing path", umount2("t/missing", 0));
    SAY("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
    SAY("pivot_root", syscall(SYS_pivot_root, "t/d", "t/d"));
    SAY("bind", mount("t", "t/d", NULL, MS_BIND, NULL));
}

int main(void)
{
    isolate();
    chmod(".", 0755);
    mkdir("t/d", 0777);
    chmod("t", 0755);
    OK("mount as root", mount("x", "t/d", "tmpfs", 0, NULL));
    say("child: %s", in_child(unprivileged));
    return 0;
}
