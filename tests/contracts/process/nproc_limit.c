/* RLIMIT_NPROC: an unprivileged user cannot have more processes than the
 * limit; fork fails with EAGAIN. */
#include "contract.h"
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
    int fd[2];
    pipe(fd);
    pid_t p = fork();
    if (p == 0) {
        struct rlimit rl = {3, 3};
        setrlimit(RLIMIT_NPROC, &rl);
        setgroups(0, 0);
        setresgid(54321, 54321, 54321);
        setresuid(54321, 54321, 54321); /* a uid with no other processes */
        int made = 0;
        for (int i = 0; i < 5; i++) {
            pid_t c = fork();
            if (c == 0) {
                char ch;
                read(fd[0], &ch, 1);
                _exit(0);
            }
            if (c < 0) {
                say("fork %d failed: %s", i, errname(errno));
                break;
            }
            made++;
        }
        say("children made: %d", made);
        close(fd[0]);
        for (int i = 0; i < made; i++)
            write(fd[1], "xx", 1);
        while (wait(0) > 0)
            ;
        _exit(0);
    }
    close(fd[0]);
    int st;
    waitpid(p, &st, 0);
    say("status: %s", wstatus(st));
    return 0;
}
