/* dup/dup2/dup3, fcntl F_DUPFD*, F_GETFL/F_SETFL (which flags change),
 * close_range. */
#include "contract.h"
#include <fcntl.h>
#include <sys/syscall.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_APPEND, 0644);
    SAY("dup", dup(fd));
    SAY("dup2 to 10", dup2(fd, 10));
    SAY("dup2 same fd", dup2(fd, fd));
    SAY("dup2 bad old", dup2(99, 11));
    SAY("dup2 negative new", dup2(fd, -1));
    SAY("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20));
    SAY("F_DUPFD_CLOEXEC from 20", fcntl(fd, F_DUPFD_CLOEXEC, 20));
    SAY("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
    int fl = fcntl(fd, F_GETFL);
    say("F_GETFL: accmode %d append %d", fl & O_ACCMODE, !!(fl & O_APPEND));
    SAY("F_SETFL NONBLOCK, drop APPEND, try RDONLY", fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY));
    fl = fcntl(fd, F_GETFL);
    say("after: accmode %d append %d nonblock %d", fl & O_ACCMODE, !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
    SAY("shared with dup: nonblock on 10", !!(fcntl(10, F_GETFL) & O_NONBLOCK));
    SAY("F_SETFD on dup does not affect the original", (fcntl(10, F_SETFD, FD_CLOEXEC), fcntl(fd, F_GETFD)));
    SAY("unknown fcntl", fcntl(fd, 9999));
    SAY("close_range 20..30", syscall(SYS_close_range, 20, 30, 0));
    SAY("fd 20 closed", fcntl(20, F_GETFD));
    SAY("close_range CLOEXEC", syscall(SYS_close_range, 10, 10, 4));
    SAY("fd 10 cloexec", fcntl(10, F_GETFD));
    SAY("close_range first > last", syscall(SYS_close_range, 5, 4, 0));
    SAY("close_range bad flag", syscall(SYS_close_range, 5, 6, 8));
    SAY("close twice", (close(10), close(10)));
    return 0;
}
