/* SIGCHLD's siginfo says what happened to the child: CLD_EXITED with the
 * exit code, CLD_KILLED / CLD_DUMPED with the signal, CLD_STOPPED and
 * CLD_CONTINUED with the stop/continue signal. SA_NOCLDSTOP suppresses
 * the stop and continue notifications. */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static volatile int code, status, pid_ok, uid_ok, calls;
static volatile pid_t expect;

static void h(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    calls++;
    code = si->si_code;
    status = si->si_status;
    pid_ok = si->si_pid == expect;
    uid_ok = si->si_uid == getuid();
}

static const char *cname(int c)
{
    switch (c) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    default: return "?";
    }
}

/* Waits (with SIGCHLD blocked) for the notification, then reports it. */
static void take(const char *label)
{
    sigset_t s;
    sigemptyset(&s);
    sigsuspend(&s);
    say("%s: calls %d %s status %d pid ok %d uid ok %d", label, calls, cname(code), status, pid_ok, uid_ok);
    calls = 0;
}

static pid_t spawn(void (*fn)(void))
{
    pid_t c = fork();
    if (c == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigprocmask(SIG_SETMASK, &s, NULL);
        fn();
        _exit(0);
    }
    expect = c;
    return c;
}

static void exit3(void) { _exit(3); }
static void sleeper(void) { for (;;) pause(); }
static void aborter(void) { abort(); }

int main(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int st;

    pid_t c = spawn(exit3);
    take("exit(3)");
    waitpid(c, &st, 0);

    c = spawn(sleeper);
    kill(c, SIGSTOP);
    take("SIGSTOP");
    kill(c, SIGCONT);
    take("SIGCONT");
    kill(c, SIGKILL);
    take("SIGKILL");
    waitpid(c, &st, 0);

    c = spawn(aborter);
    take("abort");
    waitpid(c, &st, 0);
    say("abort status: %s", wstatus(st));

    /* SA_NOCLDSTOP: no SIGCHLD for stop or continue, only for the end. */
    sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    c = spawn(sleeper);
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    sigset_t pend;
    sigpending(&pend);
    say("SA_NOCLDSTOP: SIGCHLD pending after stop+cont: %d", sigismember(&pend, SIGCHLD));
    kill(c, SIGTERM);
    take("SA_NOCLDSTOP, SIGTERM");
    waitpid(c, &st, 0);
    return 0;
}
