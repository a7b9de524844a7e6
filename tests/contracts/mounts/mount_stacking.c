/* Mounts stack: the last one on a directory is what is seen; umount
 * uncovers the one below. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mount("one", "t/m", "tmpfs", 0, NULL);
    touch("t/m/one");
    mount("two", "t/m", "tmpfs", 0, NULL);
    touch("t/m/two");
    SAY("one hidden", access("t/m/one", F_OK));
    show_mount("t/m");
    struct minfo m;
    find_mount("t/m", &m);
    int top = m.id, parent = m.parent;
    OK("umount the top", umount("t/m"));
    SAY("one visible again", access("t/m/one", F_OK));
    find_mount("t/m", &m);
    say("the top mount's parent was the lower one: %d", parent == m.id && top != m.id);
    show_mount("t/m");
    return 0;
}
