/* pread/pwrite: the file offset stays, negative offsets are EINVAL,
 * pipes are ESPIPE, O_APPEND makes pwrite append (Linux), access modes
 * give EBADF, a zero-length call is checked too. */
#include "contract.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdef", 6);
    lseek(fd, 1, SEEK_SET);
    char b[8] = { 0 };
    SAY("pread 3 at 2", pread(fd, b, 3, 2));
    say("got %s, offset still %ld", b, (long)lseek(fd, 0, SEEK_CUR));
    SAY("pwrite at 10", pwrite(fd, "Z", 1, 10));
    say("offset still %ld", (long)lseek(fd, 0, SEEK_CUR));
    SAY("pread past end", pread(fd, b, 3, 100));
    SAY("pread negative", pread(fd, b, 3, -1));
    SAY("pwrite negative", pwrite(fd, b, 3, -1));
    SAY("pread 0 bytes negative", pread(fd, b, 0, -1));
    int ap = open("f", O_WRONLY | O_APPEND);
    SAY("pwrite with O_APPEND at 0", pwrite(ap, "E", 1, 0));
    SAY("it went to the end", pread(fd, b, 1, 11));
    say("byte %c", b[0]);
    int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
    SAY("pwrite on O_RDONLY", pwrite(ro, "x", 1, 0));
    SAY("pread on O_WRONLY", pread(wo, b, 1, 0));
    int p[2];
    pipe(p);
    SAY("pread pipe", pread(p[0], b, 1, 0));
    SAY("pwrite pipe", pwrite(p[1], b, 1, 0));
    int d = open(".", O_RDONLY);
    SAY("pread dir", pread(d, b, 1, 0));
    SAY("read dir", read(d, b, 1));
    SAY("pread bad buffer", pread(fd, (char *)8, 1, 0));
    unlink("f");
    return 0;
}
