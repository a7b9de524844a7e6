/* wait4/waitpid options: WNOHANG with a running child, invalid options,
 * waiting for a specific pid, for a process group, ECHILD. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    int st;
    int pipefd[2];
    pipe(pipefd);
    pid_t p = fork();
    if (p == 0) {
        char c;
        read(pipefd[0], &c, 1);
        _exit(3);
    }
    SAY("WNOHANG while running", waitpid(p, &st, WNOHANG));
    SAY("invalid option bits", waitpid(p, &st, 0x800000));
    SAY("not my child (pid 1)", waitpid(1, &st, 0));
    write(pipefd[1], "x", 1);
    say("waitpid(pid): %d", waitpid(p, &st, 0) == p);
    say("status: %s", wstatus(st));

    /* Wait by process group. */
    pid_t a = fork();
    if (a == 0) { setpgid(0, 0); _exit(5); }
    setpgid(a, a);
    say("waitpid(-pgid): %d", waitpid(-a, &st, 0) == a);
    say("status: %s", wstatus(st));
    SAY("waitpid(-pgid) again", waitpid(-a, &st, 0));

    /* waitpid(0): my own process group. */
    pid_t b = fork();
    if (b == 0) _exit(6);
    say("waitpid(0): %d", waitpid(0, &st, 0) == b);
    say("status: %s", wstatus(st));
    SAY("ECHILD", waitpid(-1, &st, 0));
    return 0;
}
