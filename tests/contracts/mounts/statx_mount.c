/* statx reports the mount id (STATX_MNT_ID, the id mountinfo shows) and
 * STATX_ATTR_MOUNT_ROOT; st_dev is the file system's, shared by binds. */
#include "mnt.h"
#include <sys/sysmacros.h>
#include "../statx.h"


static void show(const char *rel)
{
    struct statx_ sx;
    if (statx_(AT_FDCWD, rel, 0, STATX_BASIC_STATS, &sx) < 0) {
        say("%s: %s", rel, errname(errno));
        return;
    }
    struct minfo m;
    int mounted = find_mount(rel, &m);
    say("%s: mask has MNT_ID %d, mount root %d (known %d), id matches mountinfo %s, dev matches %s", rel,
        (sx.stx_mask & STATX_MNT_ID) != 0, (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0,
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0, mounted ? (sx.stx_mnt_id == (unsigned)m.id ? "yes" : "no") : "-",
        mounted ? (sx.stx_dev_major == (unsigned)m.major && sx.stx_dev_minor == (unsigned)m.minor ? "yes" : "no") : "-");
}

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mkdir("t/b", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    mkdir("t/m/sub", 0755);
    mount("t/m/sub", "t/b", NULL, MS_BIND, NULL);
    show("t/m");
    show("t/b");
    show("t");
    struct statx_ a, b, c;
    statx_(AT_FDCWD, "t/m/sub", 0, STATX_BASIC_STATS, &a);
    statx_(AT_FDCWD, "t/b", 0, STATX_BASIC_STATS, &b);
    statx_(AT_FDCWD, "t/m", 0, STATX_BASIC_STATS, &c);
    say("t/m/sub: mount root %d, same mount as t/m %d", (a.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0, a.stx_mnt_id == c.stx_mnt_id);
    say("bind: same dev %d, other mount id %d", a.stx_dev_minor == b.stx_dev_minor && a.stx_dev_major == b.stx_dev_major,
        a.stx_mnt_id != b.stx_mnt_id);
    int fd = open("t/b", O_RDONLY);
    struct statx_ d;
    statx_(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &d);
    say("through an fd: same mount id %d, mount root %d", d.stx_mnt_id == b.stx_mnt_id, (d.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0);
    return 0;
}
