/* alarm delivers SIGALRM after the delay: to a handler, or killing the
 * process by default. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int got;
static void h(int sig) { got = sig; }

int main(void)
{
    signal(SIGALRM, h);
    SAY("alarm(1)", alarm(1));
    while (!got)
        pause();
    say("handler got SIGALRM: %d", got == SIGALRM);
    SAY("alarm(0) after it fired", alarm(0));

    pid_t c = fork();
    if (c == 0) {
        signal(SIGALRM, SIG_DFL);
        alarm(1);
        for (;;)
            pause();
    }
    int st;
    waitpid(c, &st, 0);
    say("default action: %s", wstatus(st));
    return 0;
}
