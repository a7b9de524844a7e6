/* A process that stops itself with raise(SIGSTOP) resumes on SIGCONT,
 * and a SIGCONT handler runs then; the parent sees the stop and the
 * continue. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int cont_calls;
static void h(int sig) { (void)sig; cont_calls++; }

int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        signal(SIGCONT, h);
        raise(SIGSTOP);
        say("child resumed, SIGCONT handler calls %d", cont_calls);
        _exit(4);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    say("parent sees: %s", wstatus(st));
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    say("parent sees: %s", wstatus(st));
    waitpid(c, &st, 0);
    say("parent sees: %s", wstatus(st));
    return 0;
}
