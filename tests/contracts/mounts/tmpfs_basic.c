/* A tmpfs mount hides what is below it, has its own st_dev, and its
 * files go away with it. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    touch("t/m/under");
    struct stat a, b;
    stat("t", &a);
    OK("mount tmpfs on t/m", mount("none", "t/m", "tmpfs", 0, NULL));
    stat("t/m", &b);
    say("new st_dev: %d", a.st_dev != b.st_dev);
    say("root inode mode: %o", b.st_mode);
    SAY("file below is hidden", access("t/m/under", F_OK));
    touch("t/m/over");
    SAY("file on top", access("t/m/over", F_OK));
    struct statfs sf;
    statfs("t/m", &sf);
    say("f_type tmpfs: %d", sf.f_type == 0x01021994);
    SAY("umount", umount("t/m"));
    SAY("file below is back", access("t/m/under", F_OK));
    SAY("file on top is gone", access("t/m/over", F_OK));
    show_mount("t");
    return 0;
}
