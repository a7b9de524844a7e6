/* umount2 flags and errors: EINVAL for non-mount points and bad flags,
 * UMOUNT_NOFOLLOW, MNT_EXPIRE's two steps. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mkdir("t/plain", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    symlink("m", "t/link");
    SAY("not a mount point", umount("t/plain"));
    SAY("missing", umount("t/missing"));
    SAY("unknown flag", umount2("t/m", 0x10));
    SAY("a directory inside the mount", (mkdir("t/m/d", 0755), umount("t/m/d")));
    SAY("UMOUNT_NOFOLLOW on a symlink", umount2("t/link", UMOUNT_NOFOLLOW));
    SAY("MNT_EXPIRE|MNT_DETACH", umount2("t/m", MNT_EXPIRE | MNT_DETACH));
    SAY("MNT_EXPIRE|MNT_FORCE", umount2("t/m", MNT_EXPIRE | MNT_FORCE));
    SAY("MNT_EXPIRE first", umount2("t/m", MNT_EXPIRE));
    SAY("MNT_EXPIRE second", umount2("t/m", MNT_EXPIRE));
    SAY("gone", umount("t/m"));
    mount("m", "t/m", "tmpfs", 0, NULL);
    SAY("through the symlink", umount("t/link"));
    mount("m", "t/m", "tmpfs", 0, NULL);
    SAY("MNT_FORCE on an idle mount", umount2("t/m", MNT_FORCE));
    SAY("bad pointer", umount((const char *)8));
    return 0;
}
