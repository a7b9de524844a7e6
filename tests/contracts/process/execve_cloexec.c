/* Close-on-exec: O_CLOEXEC, FD_CLOEXEC via fcntl, dup3(O_CLOEXEC); plain
 * dup drops the flag; descriptors without it survive execve. */
#include "contract.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        for (int fd = 3; fd < 12; fd++)
            say("fd %d open after exec: %d", fd, fcntl(fd, F_GETFD) != -1);
        return 0;
    }
    int a = open("/dev/null", O_RDONLY | O_CLOEXEC);  /* 3: closed */
    int b = open("/dev/null", O_RDONLY);              /* 4: kept */
    int c = open("/dev/null", O_RDONLY);              /* 5: FD_CLOEXEC set later */
    fcntl(c, F_SETFD, FD_CLOEXEC);
    int d = dup(a);                                   /* 6: dup drops cloexec */
    int e = dup3(b, 7, O_CLOEXEC);                    /* 7: closed */
    int f = fcntl(b, F_DUPFD_CLOEXEC, 8);             /* 8: closed */
    int g = fcntl(b, F_DUPFD, 9);                     /* 9: kept */
    say("fds: %d %d %d %d %d %d %d", a, b, c, d, e, f, g);
    say("F_GETFD: %d %d %d %d %d %d %d", fcntl(a, F_GETFD), fcntl(b, F_GETFD), fcntl(c, F_GETFD), fcntl(d, F_GETFD),
        fcntl(e, F_GETFD), fcntl(f, F_GETFD), fcntl(g, F_GETFD));
    SAY("dup3 same fd", dup3(b, b, 0));
    SAY("dup3 bad flags", dup3(b, 10, 1));
    pid_t p = fork();
    if (p == 0) {
        execl(argv[0], argv[0], "child", (char *)0);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
