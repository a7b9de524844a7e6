/* read/write, pread/pwrite (offset untouched), readv/writev, preadv/
 * pwritev, lseek beyond EOF and holes, and their errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/uio.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct iovec w[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
    SAY("writev", writev(fd, w, 3));
    SAY("pwrite at 10 (hole)", pwrite(fd, "XY", 2, 10));
    SAY("offset after pwrite", lseek(fd, 0, SEEK_CUR));
    char buf[32];
    memset(buf, '.', sizeof buf);
    SAY("pread 12 from 0", pread(fd, buf, 12, 0));
    for (int i = 0; i < 12; i++)
        if (buf[i] == 0) buf[i] = '0';
    buf[12] = 0;
    say("content with hole: %s", buf);
    char a[3], b[5];
    struct iovec r[2] = {{a, 3}, {b, 5}};
    lseek(fd, 0, SEEK_SET);
    SAY("readv", readv(fd, r, 2));
    say("split: %.3s|%.3s", a, b);
    SAY("lseek SEEK_END", lseek(fd, 0, SEEK_END));
    SAY("lseek SEEK_END -3", lseek(fd, -3, SEEK_END));
    SAY("lseek negative", lseek(fd, -100, SEEK_SET));
    SAY("lseek bad whence", lseek(fd, 0, 7));
    SAY("lseek past end", lseek(fd, 100, SEEK_SET));
    SAY("read at 100", read(fd, buf, 4));
    SAY("write at 100", write(fd, "Z", 1));
    struct stat_size { long s; };
    SAY("size now", lseek(fd, 0, SEEK_END));
    struct iovec pw[1] = {{"!", 1}};
    SAY("pwritev at 0", pwritev(fd, pw, 1, 0));
    struct iovec pr[1] = {{buf, 2}};
    SAY("preadv at 0", preadv(fd, pr, 1, 0));
    say("first bytes %.2s", buf);
    SAY("pread negative offset", pread(fd, buf, 1, -1));
    SAY("readv too many iovecs", readv(fd, r, 2000));
    int p[2];
    pipe(p);
    SAY("lseek on a pipe", lseek(p[0], 0, SEEK_SET));
    SAY("pread on a pipe", pread(p[0], buf, 1, 0));
    SAY("read 0 bytes", read(fd, buf, 0));
    SAY("write to a closed fd", write(99, "x", 1));
    return 0;
}
