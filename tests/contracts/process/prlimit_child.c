/* prlimit64 on another process: a parent sets its child's limit, the child
 * sees it; reading another user's process needs privilege. */
#include "contract.h"
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t p = fork();
    if (p == 0) {
        char c;
        read(go[0], &c, 1);
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        long v[2] = {(long)rl.rlim_cur, (long)rl.rlim_max};
        write(back[1], v, sizeof v);
        _exit(0);
    }
    struct rlimit64 nl = {77, 88}, ol;
    SAY("prlimit64 set child's NOFILE", prlimit64(p, RLIMIT_NOFILE, &nl, &ol));
    write(go[1], "x", 1);
    long v[2] = {0, 0};
    read(back[0], v, sizeof v);
    say("child sees %ld/%ld", v[0], v[1]);
    int st;
    waitpid(p, &st, 0);
    SAY("prlimit64 bad resource", prlimit64(0, 99, 0, &ol));
    return 0;
}
