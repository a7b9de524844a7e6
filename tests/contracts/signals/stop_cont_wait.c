/* SIGSTOP and SIGCONT of a child as the parent sees them: waitpid with
 * WUNTRACED reports the stop, WCONTINUED the continue, each once; waitid
 * reports CLD_STOPPED / CLD_CONTINUED.
 *
 * The child gets a process group of its own: its parent, in another group
 * of the same session, keeps that group from being orphaned, so SIGTSTP is
 * delivered however the runner itself was started (an orphaned group
 * discards SIGTSTP, and the test would hang). */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    char b;
    read(p[0], &b, 1);
    int st = 0;
    SAY("WNOHANG before anything", waitpid(c, &st, WNOHANG | WUNTRACED | WCONTINUED));

    OK("SIGSTOP", kill(c, SIGSTOP));
    pid_t w = waitpid(c, &st, WUNTRACED);
    say("waitpid WUNTRACED: %d %s", w == c, wstatus(st));
    say("WIFSTOPPED %d WSTOPSIG %d", WIFSTOPPED(st), WSTOPSIG(st));
    SAY("stop reported only once", waitpid(c, &st, WUNTRACED | WNOHANG));
    OK("SIGSTOP again (already stopped)", kill(c, SIGSTOP));
    SAY("no new report", waitpid(c, &st, WUNTRACED | WNOHANG));

    OK("SIGCONT", kill(c, SIGCONT));
    w = waitpid(c, &st, WCONTINUED);
    say("waitpid WCONTINUED: %d %s WIFCONTINUED %d", w == c, wstatus(st), WIFCONTINUED(st));
    SAY("continue reported only once", waitpid(c, &st, WCONTINUED | WNOHANG));

    /* The same through waitid. */
    OK("SIGSTOP", kill(c, SIGSTOP));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    OK("waitid WSTOPPED", waitid(P_PID, c, &si, WSTOPPED));
    say("si_signo SIGCHLD %d code CLD_STOPPED %d status %d pid ok %d", si.si_signo == SIGCHLD, si.si_code == CLD_STOPPED, si.si_status, si.si_pid == c);
    OK("SIGCONT", kill(c, SIGCONT));
    memset(&si, 0, sizeof si);
    OK("waitid WCONTINUED", waitid(P_PID, c, &si, WCONTINUED));
    say("code CLD_CONTINUED %d status %d", si.si_code == CLD_CONTINUED, si.si_status);

    /* A stop signal other than SIGSTOP, then death while stopped. */
    OK("SIGTSTP", kill(c, SIGTSTP));
    w = waitpid(c, &st, WUNTRACED);
    say("waitpid: %s", wstatus(st));
    OK("SIGTERM while stopped", kill(c, SIGTERM));
    SAY("still stopped: nothing to reap", waitpid(c, &st, WNOHANG));
    OK("SIGCONT", kill(c, SIGCONT));
    w = waitpid(c, &st, 0);
    say("waitpid: %d %s", w == c, wstatus(st));
    return 0;
}
