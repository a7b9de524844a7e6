/* unshare(CLONE_NEWNS) copies the mount table: later mounts and umounts
 * on either side are not seen by the other. */
#include "mnt.h"

static int go[2], done[2];

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/b", 0755);
    mkdir("t/c", 0755);
    mount("a", "t/a", "tmpfs", 0, NULL);
    touch("t/a/file");
    pipe(go);
    pipe(done);
    pid_t c = fork();
    if (c == 0) {
        OK("child unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
        SAY("child sees t/a's file", access("t/a/file", F_OK));
        OK("child mounts t/b", mount("b", "t/b", "tmpfs", 0, NULL));
        touch("t/b/child");
        OK("child umounts t/a", umount("t/a"));
        SAY("t/a's file gone for the child", access("t/a/file", F_OK));
        write(done[1], "x", 1);
        char ch;
        read(go[0], &ch, 1);
        SAY("child does not see the parent's t/c", access("t/c/parent", F_OK));
        show_mount("t/b");
        show_mount("t/c");
        _exit(0);
    }
    char ch;
    read(done[0], &ch, 1);
    SAY("parent still has t/a", access("t/a/file", F_OK));
    SAY("parent does not see t/b", access("t/b/child", F_OK));
    mount("c", "t/c", "tmpfs", 0, NULL);
    touch("t/c/parent");
    write(go[1], "x", 1);
    waitpid(c, 0, 0);
    show_mount("t/a");
    show_mount("t/b");
    return 0;
}
