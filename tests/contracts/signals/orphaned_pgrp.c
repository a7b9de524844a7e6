/* Orphaned process groups (POSIX job control):
 * - in an orphaned group the terminal stop signals (SIGTSTP, SIGTTIN,
 *   SIGTTOU) are discarded, while SIGSTOP still stops;
 * - when an exit leaves a group orphaned and a member is stopped, every
 *   member gets SIGHUP then SIGCONT;
 * - when the group keeps a parent in the session (here a subreaper in the
 *   same session), nothing is sent and the member stays stopped.
 * Each scenario runs in a session of its own, so the result does not
 * depend on how the runner was started. */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_hup;
static void on_hup(int s) { (void)s; got_hup = 1; }

/* The session leader forks A (a new group), A forks B in A's group, B
 * stops, A exits. B reports to `out` whether SIGHUP came, once continued. */
static void scenario(int out)
{
    int ready[2];
    pipe(ready);
    pid_t a = fork();
    if (a == 0) {
        setpgid(0, 0);
        pid_t b = fork();
        if (b == 0) {
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);
            dprintf(out, "B resumed, SIGHUP seen: %d\n", got_hup);
            _exit(0);
        }
        int st;
        waitpid(b, &st, WUNTRACED);
        dprintf(out, "B stopped: %d\n", WIFSTOPPED(st));
        _exit(0);
    }
    int st;
    waitpid(a, &st, 0);
}

int main(void)
{
    int p[2];
    pipe(p);

    /* 1. Stop signals in an orphaned group. */
    pid_t c = fork();
    if (c == 0) {
        setsid(); /* leader of an orphaned group: parent in another session */
        raise(SIGTSTP);
        raise(SIGTTIN);
        raise(SIGTTOU);
        dprintf(p[1], "TSTP/TTIN/TTOU discarded in an orphaned group\n");
        raise(SIGSTOP);
        dprintf(p[1], "continued after SIGSTOP\n");
        _exit(0);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    say("orphaned child: %s", wstatus(st));
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    say("after SIGCONT: %s", wstatus(st));

    /* 2. An exit orphans a group with a stopped member: SIGHUP + SIGCONT.
     * The test process is the subreaper, in another session than the
     * group, so B's new parent does not keep the group attached. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    c = fork();
    if (c == 0) {
        setsid();
        scenario(p[1]);
        _exit(0);
    }
    waitpid(c, &st, 0);
    /* B was re-parented to us: reap it (it exits once continued). */
    while (waitpid(-1, &st, 0) > 0)
        say("re-parented B: %s", wstatus(st));

    /* 3. The group keeps a parent in the session: no signals. */
    c = fork();
    if (c == 0) {
        setsid();
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        pid_t a = fork();
        if (a == 0) {
            setpgid(0, 0);
            pid_t b = fork();
            if (b == 0) {
                signal(SIGHUP, on_hup);
                raise(SIGSTOP);
                dprintf(p[1], "kept group: B resumed, SIGHUP seen: %d\n", got_hup);
                _exit(0);
            }
            int s2;
            waitpid(b, &s2, WUNTRACED);
            dprintf(p[1], "kept group: B stopped %d\n", WIFSTOPPED(s2));
            _exit(0);
        }
        int s2;
        waitpid(a, &s2, 0);
        /* The only child left is B, still stopped in A's group (A's pid):
         * continue it and reap it. */
        kill(-a, SIGCONT);
        pid_t b = waitpid(-1, &s2, 0);
        dprintf(p[1], "kept group: B reaped %d %s\n", b > 0, wstatus(s2));
        _exit(0);
    }
    waitpid(c, &st, 0);
    close(p[1]);

    char buf[1024];
    int n, len = 0;
    while ((n = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += n;
    buf[len] = 0;
    printf("%s", buf);
    return 0;
}
