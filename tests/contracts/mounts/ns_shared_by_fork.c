/* A namespace is shared by every process in it: a child's mount is seen
 * by its parent, and the parent's umount by the child. */
#include "mnt.h"

static void child_mounts(void)
{
    OK("child mounts on t/a", mount("kid", "t/a", "tmpfs", 0, NULL));
    touch("t/a/from-child");
}

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    say("child: %s", in_child(child_mounts));
    SAY("parent sees the child's file", access("t/a/from-child", F_OK));
    show_mount("t/a");
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t c = fork();
    if (c == 0) {
        char ch;
        read(p[0], &ch, 1);
        SAY("child after the parent's umount", access("t/a/from-child", F_OK));
        write(q[1], "x", 1);
        _exit(0);
    }
    OK("parent umounts", umount("t/a"));
    write(p[1], "x", 1);
    char ch;
    read(q[0], &ch, 1);
    waitpid(c, 0, 0);
    return 0;
}
