/* stat of each kind of object: st_mode type bits, st_nlink, st_size
 * and st_blocks of an empty and a one-byte file, a symlink (lstat size
 * = target length), a FIFO, a directory (nlink 2), /dev/null's rdev. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

int main(void)
{
    struct stat st;
    close(open("empty", O_CREAT | O_WRONLY, 0644));
    stat("empty", &st);
    say("empty: reg %d size %ld blocks %ld nlink %ld", S_ISREG(st.st_mode), (long)st.st_size, (long)st.st_blocks, (long)st.st_nlink);
    int fd = open("one", O_CREAT | O_WRONLY, 0644);
    write(fd, "x", 1);
    close(fd);
    stat("one", &st);
    say("one: size %ld blocks %ld blksize %ld", (long)st.st_size, (long)st.st_blocks, (long)st.st_blksize);
    symlink("a-target", "lnk");
    lstat("lnk", &st);
    say("link: lnk %d size %ld", S_ISLNK(st.st_mode), (long)st.st_size);
    mkfifo("fifo", 0600);
    stat("fifo", &st);
    say("fifo: %d size %ld", S_ISFIFO(st.st_mode), (long)st.st_size);
    mkdir("dir", 0755);
    stat("dir", &st);
    say("dir: %d nlink %ld", S_ISDIR(st.st_mode), (long)st.st_nlink);
    stat("/dev/null", &st);
    say("null: chr %d rdev %d:%d size %ld", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev), (long)st.st_size);
    SAY("stat through a file as dir", stat("one/x", &st));
    SAY("fstatat AT_SYMLINK_NOFOLLOW", fstatat(AT_FDCWD, "lnk", &st, AT_SYMLINK_NOFOLLOW));
    say("is link %d", S_ISLNK(st.st_mode));
    SAY("bad flag", fstatat(AT_FDCWD, "lnk", &st, 0x1));
    return 0;
}
