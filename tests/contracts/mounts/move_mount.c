/* MS_MOVE moves a mount (with its submounts) to another place. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/b", 0755);
    mount("a", "t/a", "tmpfs", 0, NULL);
    mkdir("t/a/in", 0755);
    mount("in", "t/a/in", "tmpfs", 0, NULL);
    touch("t/a/in/mark");
    int id = mount_id("t/a");
    OK("move t/a to t/b", mount("t/a", "t/b", NULL, MS_MOVE, NULL));
    SAY("t/a is empty", access("t/a/in", F_OK));
    SAY("submount came along", access("t/b/in/mark", F_OK));
    say("same mount id: %d", mount_id("t/b") == id);
    show_mount("t/b");
    show_mount("t/b/in");
    mkdir("t/b/inner", 0755);
    SAY("move into itself", mount("t/b", "t/b/inner", NULL, MS_MOVE, NULL));
    mkdir("t/plain", 0755);
    SAY("move a non-mount point", mount("t/plain", "t/a", NULL, MS_MOVE, NULL));
    touch("t/file");
    SAY("move a directory mount onto a file", mount("t/b", "t/file", NULL, MS_MOVE, NULL));
    return 0;
}
