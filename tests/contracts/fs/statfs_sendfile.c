/* statfs/fstatfs on tmpfs (type and consistency), sendfile between files
 * and into a pipe, with and without an offset. */
#include "contract.h"
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>

int main(void)
{
    struct statfs a, b;
    SAY("statfs .", statfs(".", &a));
    say("tmpfs magic: %d, bsize 4096 %d, free <= total %d, namelen %ld", a.f_type == 0x01021994, a.f_bsize == 4096,
        a.f_bfree <= a.f_blocks, (long)a.f_namelen);
    int fd = open("src", O_CREAT | O_RDWR, 0644);
    SAY("fstatfs", fstatfs(fd, &b));
    say("same file system: %d", a.f_type == b.f_type);
    SAY("statfs missing", statfs("missing", &a));
    write(fd, "0123456789", 10);
    int out = open("dst", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    off_t off = 2;
    SAY("sendfile with offset", sendfile(out, fd, &off, 5));
    say("offset advanced to %ld, source position %ld", (long)off, (long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 7, SEEK_SET);
    SAY("sendfile from the file position", sendfile(out, fd, 0, 100));
    say("source position now %ld", (long)lseek(fd, 0, SEEK_CUR));
    char buf[32] = {0};
    pread(open("dst", O_RDONLY), buf, sizeof buf - 1, 0);
    say("dst: %s", buf);
    int p[2];
    pipe(p);
    off = 0;
    SAY("sendfile into a pipe", sendfile(p[1], fd, &off, 4));
    memset(buf, 0, sizeof buf);
    read(p[0], buf, sizeof buf);
    say("pipe got: %s", buf);
    SAY("sendfile from a write-only fd", sendfile(out, out, 0, 1));
    SAY("sendfile bad fd", sendfile(out, 99, 0, 1));
    return 0;
}
