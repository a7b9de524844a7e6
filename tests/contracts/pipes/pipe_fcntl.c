/* Pipe descriptors and fcntl: status flags per end, O_NONBLOCK set later
 * takes effect, F_GETPIPE_SZ on both ends, O_DIRECT packets, fstat of
 * both ends (same inode, FIFO type, mode 0600). */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    int p[2];
    pipe(p);
    say("read end %o write end %o", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char b[8];
    SAY("read after O_NONBLOCK", read(p[0], b, 1));
    say("read end %o", fcntl(p[0], F_GETFL));
    say("sizes %d %d", fcntl(p[0], F_GETPIPE_SZ), fcntl(p[1], F_GETPIPE_SZ));
    struct stat a, c;
    fstat(p[0], &a);
    fstat(p[1], &c);
    say("fifo %d same inode %d mode %o nlink %ld size %ld", S_ISFIFO(a.st_mode), a.st_ino == c.st_ino, a.st_mode & 0777, (long)a.st_nlink, (long)a.st_size);
    write(p[1], "abc", 3);
    fstat(p[0], &a);
    say("size with data %ld", (long)a.st_size);
    int q[2];
    pipe2(q, O_DIRECT);
    say("O_DIRECT write end %o", fcntl(q[1], F_GETFL) & O_DIRECT ? 1 : 0);
    write(q[1], "12345", 5);
    write(q[1], "678", 3);
    SAY("packet read", read(q[0], b, sizeof b));
    SAY("short read drops rest", read(q[0], b, 1));
    write(q[1], "x", 1);
    SAY("next packet", read(q[0], b, sizeof b));
    fcntl(p[1], F_SETFL, O_APPEND);
    say("O_APPEND on pipe kept %d", !!(fcntl(p[1], F_GETFL) & O_APPEND));
    SAY("write still works", write(p[1], "d", 1));
    return 0;
}
