/* F_GETFL/F_SETFL: the access mode stays, creation flags are dropped,
 * O_APPEND and O_NONBLOCK change and are shared by dups, F_GETFD/SETFD
 * are per descriptor, unknown commands are EINVAL. */
#include "contract.h"
#include <fcntl.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC | O_EXCL, 0644);
    say("initial %o", fcntl(fd, F_GETFL));
    SAY("set O_APPEND|O_NONBLOCK|O_RDONLY|O_CREAT", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY | O_CREAT));
    say("now %o", fcntl(fd, F_GETFL));
    int d = dup(fd);
    say("dup shares %o", fcntl(d, F_GETFL));
    fcntl(d, F_SETFL, 0);
    say("cleared through dup %o", fcntl(fd, F_GETFL));
    SAY("F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC));
    say("fd %d dup %d", fcntl(fd, F_GETFD), fcntl(d, F_GETFD));
    SAY("F_SETFD other bits", fcntl(fd, F_SETFD, 0xfe));
    say("fd flags %d", fcntl(fd, F_GETFD));
    SAY("unknown cmd", fcntl(fd, 9999));
    SAY("bad fd", fcntl(99, F_GETFL));
    int ro = open("f", O_RDONLY);
    say("rdonly %o", fcntl(ro, F_GETFL));
    int wo = open("f", O_WRONLY);
    say("wronly %o", fcntl(wo, F_GETFL));
    int p = open("f", O_PATH);
    say("path %o", fcntl(p, F_GETFL));
    SAY("F_SETFL on O_PATH", fcntl(p, F_SETFL, O_APPEND));
    write(fd, "abc", 3);
    fcntl(fd, F_SETFL, O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "d", 1);
    say("append offset %ld", (long)lseek(fd, 0, SEEK_CUR));
    unlink("f");
    return 0;
}
