/* open flag combinations: O_NOFOLLOW, O_DIRECTORY, O_NOATIME (owner only,
 * also through F_SETFL), O_CREAT|O_DIRECTORY, O_EXCL on a dangling
 * symlink, trailing slashes, and O_APPEND with pwrite (Linux appends and
 * leaves the file offset alone). */
#include "contract.h"
#include "vfs.h"

int main(void)
{
    chmod(".", 0755);
    mkdir("d", 0755);
    make_file("f", "0123456789", 0666);
    symlink("f", "lf");
    symlink("d", "ld");
    symlink("missing", "dangling");
    SAY("O_NOFOLLOW on a file", open("f", O_RDONLY | O_NOFOLLOW) >= 0);
    SAY("O_NOFOLLOW on a symlink", open("lf", O_RDONLY | O_NOFOLLOW));
    SAY("O_NOFOLLOW only affects the last component", open("ld/", O_RDONLY | O_NOFOLLOW) >= 0);
    SAY("O_NOFOLLOW|O_DIRECTORY on a symlink to a dir", open("ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
    SAY("O_DIRECTORY on a file", open("f", O_RDONLY | O_DIRECTORY));
    SAY("O_DIRECTORY through a symlink to a dir", open("ld", O_RDONLY | O_DIRECTORY) >= 0);
    SAY("O_DIRECTORY|O_CREAT on a new name", open("newdir", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
    SAY("O_DIRECTORY|O_CREAT on an existing dir", open("d", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
    SAY("O_CREAT on a directory", open("d", O_RDONLY | O_CREAT, 0755));
    SAY("O_WRONLY on a directory", open("d", O_WRONLY));
    SAY("O_CREAT|O_EXCL on a dangling symlink", open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SAY("O_CREAT|O_NOFOLLOW on a dangling symlink", open("dangling", O_CREAT | O_NOFOLLOW | O_WRONLY, 0644));
    SAY("O_CREAT with a trailing slash", open("g/", O_CREAT | O_WRONLY, 0644));
    SAY("file with a trailing slash", open("f/", O_RDONLY));
    SAY("O_NOATIME by the owner", open("f", O_RDONLY | O_NOATIME) >= 0);
    SAY("O_NOATIME in F_GETFL", (fcntl(open("f", O_RDONLY | O_NOATIME), F_GETFL) & O_NOATIME) != 0);
    pid_t p = fork();
    if (p == 0) {
        become_user(1000, 1000);
        SAY("user: O_NOATIME on root's file", open("f", O_RDONLY | O_NOATIME));
        int fd = open("f", O_RDONLY);
        SAY("user: F_SETFL O_NOATIME on root's file", fcntl(fd, F_SETFL, O_NOATIME));
        SAY("user: F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
        _exit(0);
    }
    int ws;
    waitpid(p, &ws, 0);
    say("child %s", wstatus(ws));

    int fd = open("f", O_RDWR | O_APPEND);
    SAY("lseek to 2", lseek(fd, 2, SEEK_SET));
    SAY("pwrite at 0 with O_APPEND", pwrite(fd, "AB", 2, 0));
    SAY("offset after pwrite", lseek(fd, 0, SEEK_CUR));
    SAY("write with O_APPEND", write(fd, "CD", 2));
    SAY("offset after write", lseek(fd, 0, SEEK_CUR));
    char buf[32] = {0};
    pread(fd, buf, sizeof buf - 1, 0);
    say("content \"%s\"", buf);
    struct iovec iov = {"EF", 2};
    SAY("pwritev at 1 with O_APPEND", pwritev(fd, &iov, 1, 1));
    SAY("F_SETFL clears O_APPEND", fcntl(fd, F_SETFL, 0));
    SAY("pwrite at 0 now", pwrite(fd, "zz", 2, 0));
    memset(buf, 0, sizeof buf);
    pread(fd, buf, sizeof buf - 1, 0);
    say("content \"%s\"", buf);
    SAY("O_APPEND|O_TRUNC", (close(open("f", O_WRONLY | O_APPEND | O_TRUNC)), (long)lseek(open("f", O_RDONLY), 0, SEEK_END)));
    return 0;
}
