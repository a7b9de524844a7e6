/* lseek: whence values, negative results, seeking past the end and
 * writing there (a hole that reads as zeros), overflow, directories. */
#include "contract.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    SAY("SEEK_SET 3", lseek(fd, 3, SEEK_SET));
    SAY("SEEK_CUR +2", lseek(fd, 2, SEEK_CUR));
    SAY("SEEK_CUR -10", lseek(fd, -10, SEEK_CUR));
    SAY("SEEK_END -1", lseek(fd, -1, SEEK_END));
    SAY("SEEK_END +5", lseek(fd, 5, SEEK_END));
    SAY("write past end", write(fd, "X", 1));
    char b[32];
    SAY("pread all", pread(fd, b, sizeof b, 0));
    say("hole bytes %d %d %d %d %d, then %c", b[10], b[11], b[12], b[13], b[14], b[15]);
    SAY("negative SEEK_SET", lseek(fd, -1, SEEK_SET));
    SAY("bad whence", lseek(fd, 0, 7));
    SAY("huge", lseek(fd, 0x7fffffffffffffffLL, SEEK_SET) > 0);
    SAY("overflow", lseek(fd, 10, SEEK_CUR));
    SAY("position kept after errors", lseek(fd, 0, SEEK_CUR) > 0);
    int d = open(".", O_RDONLY);
    SAY("dir SEEK_SET 0", lseek(d, 0, SEEK_SET));
    SAY("dir SEEK_END", lseek(d, 0, SEEK_END) >= 0 ? 0 : -1);
    int p[2];
    pipe(p);
    SAY("pipe", lseek(p[0], 0, SEEK_CUR));
    SAY("bad fd", lseek(99, 0, SEEK_SET));
    int op = open("f", O_PATH);
    SAY("O_PATH", lseek(op, 0, SEEK_SET));
    unlink("f");
    return 0;
}
