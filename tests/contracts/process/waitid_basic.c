/* waitid: P_PID, P_PGID, P_ALL; WEXITED, WNOWAIT, WNOHANG; siginfo fields. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static void show(const char *label, siginfo_t *si, pid_t expect)
{
    say("%s: signo=%d code=%d status=%d pid-matches=%d", label, si->si_signo, si->si_code, si->si_status,
        si->si_pid == expect);
}

int main(void)
{
    siginfo_t si;
    pid_t p = fork();
    if (p == 0) _exit(9);
    memset(&si, 0, sizeof si);
    SAY("waitid P_PID WEXITED|WNOWAIT", waitid(P_PID, p, &si, WEXITED | WNOWAIT));
    show("nowait", &si, p);
    memset(&si, 0, sizeof si);
    SAY("waitid P_PID WEXITED", waitid(P_PID, p, &si, WEXITED));
    show("reaped", &si, p);
    SAY("waitid again ECHILD", waitid(P_PID, p, &si, WEXITED));
    SAY("waitid no options EINVAL", waitid(P_ALL, 0, &si, 0));
    SAY("waitid bad idtype", waitid(42, 0, &si, WEXITED));

    int fd[2];
    pipe(fd);
    pid_t q = fork();
    if (q == 0) { char c; read(fd[0], &c, 1); _exit(1); }
    memset(&si, 0xff, sizeof si);
    SAY("WNOHANG running", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
    say("WNOHANG clears si_pid: %d", si.si_pid == 0);
    write(fd[1], "x", 1);
    memset(&si, 0, sizeof si);
    SAY("P_ALL", waitid(P_ALL, 0, &si, WEXITED));
    show("all", &si, q);

    pid_t r = fork();
    if (r == 0) { setpgid(0, 0); raise(SIGKILL); }
    setpgid(r, r);
    memset(&si, 0, sizeof si);
    SAY("P_PGID", waitid(P_PGID, r, &si, WEXITED));
    show("killed", &si, r);
    return 0;
}
