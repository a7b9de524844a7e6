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
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGCONT, h);
        raise(SIGSTOP);
        /* Stay until the parent has seen the continue: an exit before
         * its WCONTINUED wait would be reported there instead. */
        char g;
        read(go[0], &g, 1);
        say("child resumed, SIGCONT handler calls %d", cont_calls);
        _exit(4);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    say("parent sees: %s", wstatus(st));
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    say("parent sees: %s", wstatus(st));
    write(go[1], "g", 1);
    waitpid(c, &st, 0);
    say("parent sees: %s", wstatus(st));
    return 0;
}
