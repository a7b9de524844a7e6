/* MS_BIND copies one mount; MS_BIND|MS_REC copies the mounts below it. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/a/sub", 0755);
    mkdir("t/a/sub/deep", 0755);
    mkdir("t/b", 0755);
    mkdir("t/c", 0755);
    mount("sub", "t/a/sub", "tmpfs", 0, NULL);
    mkdir("t/a/sub/deeper", 0755);
    mount("deeper", "t/a/sub/deeper", "tmpfs", 0, NULL);
    touch("t/a/sub/deeper/mark");
    OK("plain bind", mount("t/a", "t/b", NULL, MS_BIND, NULL));
    SAY("submount not copied", access("t/b/sub/deeper", F_OK));
    SAY("the directory below is", access("t/b/sub/deep", F_OK));
    OK("recursive bind", mount("t/a", "t/c", NULL, MS_BIND | MS_REC, NULL));
    SAY("submounts copied", access("t/c/sub/deeper/mark", F_OK));
    show_mount("t/c");
    show_mount("t/c/sub");
    show_mount("t/c/sub/deeper");
    struct minfo m;
    find_mount("t/c/sub/deeper", &m);
    say("parents chain: %d", m.parent == mount_id("t/c/sub"));
    OK("umount the copy of sub lazily", umount2("t/c/sub", MNT_DETACH));
    SAY("original submount stays", access("t/a/sub/deeper/mark", F_OK));
    return 0;
}
