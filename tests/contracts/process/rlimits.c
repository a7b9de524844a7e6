/* getrlimit/setrlimit/prlimit64: round trips, EINVAL cases, and
 * RLIMIT_NOFILE and RLIMIT_FSIZE actually enforced. */
#include "contract.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
    struct rlimit rl, old;
    SAY("getrlimit bad resource", getrlimit(99, &rl));
    getrlimit(RLIMIT_NOFILE, &old);
    rl.rlim_cur = 10;
    rl.rlim_max = old.rlim_max;
    SAY("set NOFILE soft=10", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &rl);
    say("NOFILE soft now %lu", (unsigned long)rl.rlim_cur);
    int last = -1;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            say("open failed with %s after fd %d", errname(errno), last);
            break;
        }
        last = fd;
    }
    SAY("dup2 beyond the limit", dup2(0, 50));
    SAY("F_DUPFD beyond the limit", fcntl(0, F_DUPFD, 20));
    rl.rlim_cur = 20;
    rl.rlim_max = 10;
    SAY("soft > hard", setrlimit(RLIMIT_NOFILE, &rl));
    setrlimit(RLIMIT_NOFILE, &old);

    /* RLIMIT_FSIZE: writing past it gives SIGXFSZ (fatal by default) or,
     * with the signal ignored, EFBIG. */
    pid_t p = fork();
    if (p == 0) {
        struct rlimit f = {100, 100};
        setrlimit(RLIMIT_FSIZE, &f);
        signal(SIGXFSZ, SIG_IGN);
        int fd = open("big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        char buf[150];
        memset(buf, 'x', sizeof buf);
        SAY("write 150 with limit 100", write(fd, buf, sizeof buf));
        SAY("write more", write(fd, buf, 1));
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    p = fork();
    if (p == 0) {
        struct rlimit f = {100, 100};
        setrlimit(RLIMIT_FSIZE, &f);
        struct rlimit nc = {0, 0};
        setrlimit(RLIMIT_CORE, &nc);
        int fd = open("big2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        char buf[150] = {0};
        write(fd, buf, 100);
        write(fd, buf, 1);
        _exit(0);
    }
    waitpid(p, &st, 0);
    say("default SIGXFSZ: %s", wstatus(st));

    struct rlimit64 nl, ol;
    SAY("prlimit64 self read", prlimit64(0, RLIMIT_STACK, 0, &ol));
    nl = ol;
    SAY("prlimit64 self write same", prlimit64(0, RLIMIT_STACK, &nl, 0));
    SAY("prlimit64 bad pid", prlimit64(999999, RLIMIT_STACK, 0, &ol));
    return 0;
}
