/* dup, dup2, dup3 and F_DUPFD edges: same-fd cases, flags, limits. */
#include "contract.h"
#include <fcntl.h>
#include <sys/resource.h>

int main(void)
{
    int fd = open(".", O_RDONLY);
    SAY("dup2 same fd", dup2(fd, fd) == fd);
    SAY("dup2 closed same fd", dup2(77, 77));
    SAY("dup3 same fd", dup3(fd, fd, 0));
    SAY("dup3 bad flags", dup3(fd, 50, 1));
    SAY("dup3 O_CLOEXEC", dup3(fd, 50, O_CLOEXEC));
    say("cloexec %d", fcntl(50, F_GETFD));
    SAY("dup2 clears cloexec", dup2(fd, 50));
    say("cloexec %d", fcntl(50, F_GETFD));
    SAY("dup closed", dup(88));
    SAY("dup2 to negative", dup2(fd, -1));
    SAY("dup2 from negative", dup2(-1, 5));
    SAY("F_DUPFD 100", fcntl(fd, F_DUPFD, 100));
    SAY("F_DUPFD 100 again", fcntl(fd, F_DUPFD, 100));
    SAY("F_DUPFD_CLOEXEC 200", fcntl(fd, F_DUPFD_CLOEXEC, 200));
    say("cloexec %d", fcntl(200, F_GETFD));
    SAY("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 256;
    setrlimit(RLIMIT_NOFILE, &rl);
    SAY("F_DUPFD at limit", fcntl(fd, F_DUPFD, 256));
    SAY("F_DUPFD below limit", fcntl(fd, F_DUPFD, 255));
    SAY("F_DUPFD full", fcntl(fd, F_DUPFD, 255));
    SAY("dup2 beyond limit", dup2(fd, 300));
    SAY("dup3 beyond limit", dup3(fd, 300, 0));
    SAY("shared offset", ({ int a = open("/proc/self/cmdline", O_RDONLY); int b = dup(a); char c[4]; read(a, c, 2); (int)lseek(b, 0, SEEK_CUR); }));
    return 0;
}
