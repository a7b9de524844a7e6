/* MS_REMOUNT|MS_BIND|MS_RDONLY makes one bind read-only while the
 * file system and its other mounts stay writable. */
#include "mnt.h"

/* Opens for writing and closes again: 1, or -1 with errno. */
static int wr(const char *path)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    close(fd);
    return 1;
}

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/b", 0755);
    touch("t/a/f");
    mount("t/a", "t/b", NULL, MS_BIND, NULL);
    OK("bind ro (flags on mount(2) are ignored by MS_BIND)", mount("t/a", "t/b", NULL, MS_BIND | MS_RDONLY, NULL));
    SAY("still writable through the new bind", wr("t/b/f"));
    OK("umount the second bind", umount("t/b"));
    OK("remount,bind,ro", mount(NULL, "t/b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    SAY("write through t/b", wr("t/b/f"));
    SAY("write through t/a", wr("t/a/f"));
    SAY("create through t/b", mkdir("t/b/x", 0755));
    show_mount("t/b");
    show_mount("t");
    OK("remount,bind,nosuid,nodev", mount(NULL, "t/b", NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL));
    show_mount("t/b");
    SAY("writable again (ro not repeated)", wr("t/b/f"));
    SAY("remount,bind on a non-mount point", mount(NULL, "t/a", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    return 0;
}
