/* Files can be bind-mounted onto files; kinds must match (ENOTDIR). */
#include "mnt.h"

int main(void)
{
    isolate();
    int fd = open("t/src", O_CREAT | O_WRONLY, 0644);
    write(fd, "source", 6);
    close(fd);
    touch("t/dst");
    mkdir("t/dir", 0755);
    OK("bind file on file", mount("t/src", "t/dst", NULL, MS_BIND, NULL));
    char buf[16] = "";
    fd = open("t/dst", O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    say("t/dst reads: %s", buf);
    show_mount("t/dst");
    SAY("unlink the bound file", unlink("t/dst"));
    SAY("file on a directory", mount("t/src", "t/dir", NULL, MS_BIND, NULL));
    SAY("directory on a file", mount("t/dir", "t/src", NULL, MS_BIND, NULL));
    OK("umount the file", umount("t/dst"));
    fd = open("t/dst", O_RDONLY);
    SAY("t/dst size afterwards", read(fd, buf, sizeof buf));
    return 0;
}
