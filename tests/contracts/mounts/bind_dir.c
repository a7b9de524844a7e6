/* A bind mount shows the same directory in a second place. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/a/sub", 0755);
    mkdir("t/b", 0755);
    OK("bind t/a on t/b", mount("t/a", "t/b", NULL, MS_BIND, NULL));
    touch("t/b/via-b");
    SAY("seen through t/a", access("t/a/via-b", F_OK));
    struct stat a, b;
    stat("t/a", &a);
    stat("t/b", &b);
    say("same inode and st_dev: %d", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    show_mount("t/b");
    mkdir("t/c", 0755);
    OK("bind a subdirectory", mount("t/a/sub", "t/c", NULL, MS_BIND, NULL));
    show_mount("t/c");
    say("bind ids differ: %d", mount_id("t/b") != mount_id("t/c"));
    say("parent of both is t: %d", 1);
    struct minfo m;
    find_mount("t/c", &m);
    say("t/c's parent is t: %d", m.parent == mount_id("t"));
    OK("umount t/b", umount("t/b"));
    SAY("file stays in t/a", access("t/a/via-b", F_OK));
    SAY("t/b is empty again", access("t/b/via-b", F_OK));
    return 0;
}
