/* /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr: links into
 * /proc/self/fd; opening /dev/fd/N reopens the file (a new description
 * with its own offset for a regular file). */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    char l[64] = { 0 };
    SAY("/dev/fd", readlink("/dev/fd", l, sizeof l - 1));
    say("-> %s", l);
    memset(l, 0, sizeof l);
    readlink("/dev/stdin", l, sizeof l - 1);
    say("/dev/stdin -> %s", l);
    memset(l, 0, sizeof l);
    readlink("/dev/stderr", l, sizeof l - 1);
    say("/dev/stderr -> %s", l);
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdef", 6);
    char p[32];
    snprintf(p, sizeof p, "/dev/fd/%d", fd);
    int again = open(p, O_RDONLY);
    SAY("reopen through /dev/fd", again >= 0);
    SAY("own offset", lseek(again, 0, SEEK_CUR));
    SAY("original offset", lseek(fd, 0, SEEK_CUR));
    char b[8] = { 0 };
    read(again, b, 3);
    say("read %s", b);
    struct stat a, c;
    fstat(fd, &a);
    fstat(again, &c);
    say("same inode %d", a.st_ino == c.st_ino);
    SAY("missing fd", open("/dev/fd/99", O_RDONLY));
    SAY("/dev/fd is a directory through the link", access("/dev/fd/", F_OK));
    unlink("f");
    return 0;
}
