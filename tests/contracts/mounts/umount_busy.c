/* umount fails with EBUSY while a working directory, an open file or a
 * submount is inside; MNT_DETACH takes it away anyway, lazily. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    int fd = open("t/m/f", O_CREAT | O_RDWR, 0644);
    write(fd, "data", 4);
    SAY("open file inside", umount("t/m"));
    close(fd);
    chdir("t/m");
    SAY("cwd inside", umount2("../m", 0));
    SAY("cwd inside, MNT_FORCE", umount2("../m", MNT_FORCE));
    chdir(scratch);
    mkdir("t/m/sub", 0755);
    mount("sub", "t/m/sub", "tmpfs", 0, NULL);
    SAY("submount inside", umount("t/m"));
    OK("umount the submount", umount("t/m/sub"));
    fd = open("t/m/f", O_RDONLY);
    OK("MNT_DETACH with an open file", umount2("t/m", MNT_DETACH));
    SAY("path no longer there", access("t/m/f", F_OK));
    char buf[8] = "";
    SAY("the open file still reads", read(fd, buf, sizeof buf));
    say("content: %s", buf);
    show_mount("t/m");
    close(fd);
    mount("m2", "t/m", "tmpfs", 0, NULL);
    OK("idle umount", umount("t/m"));
    return 0;
}
