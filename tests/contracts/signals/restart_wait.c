/* wait4 interrupted by a handled signal: EINTR without SA_RESTART; with
 * SA_RESTART it resumes and reaps the child the handler killed. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile pid_t child;
static volatile sig_atomic_t kill_in_handler, handled;

static void h(int sig)
{
    (void)sig;
    handled++;
    if (kill_in_handler)
        kill(child, SIGKILL);
}

static void run(int flags, const char *label)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        for (;;)
            pause();
    }
    close(p[1]);
    child = c;
    kill_in_handler = flags & SA_RESTART;
    handled = 0;
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int st = 0;
    errno = 0;
    pid_t w = waitpid(c, &st, 0);
    int e = errno;
    if (w < 0) {
        say("%s: waitpid -1 %s, handler ran %d", label, errname(e), handled);
        kill(c, SIGKILL);
        w = waitpid(c, &st, 0);
    } else {
        say("%s: waitpid returned child %d, handler ran %d", label, w == c, handled);
    }
    say("%s: child %s", label, wstatus(st));
    close(p[0]);
}

int main(void)
{
    run(0, "no SA_RESTART");
    run(SA_RESTART, "SA_RESTART");
    return 0;
}
