/* SIGCONT discards pending stop signals and a stop signal discards a
 * pending SIGCONT, at the moment they are sent, even while blocked. */
#include "contract.h"
#include <signal.h>

static void h(int sig) { (void)sig; }

static void show(const char *label)
{
    sigset_t p;
    sigpending(&p);
    say("%s: TSTP %d TTIN %d TTOU %d CONT %d", label, sigismember(&p, SIGTSTP), sigismember(&p, SIGTTIN), sigismember(&p, SIGTTOU), sigismember(&p, SIGCONT));
}

int main(void)
{
    signal(SIGTSTP, h);
    signal(SIGTTIN, h);
    signal(SIGTTOU, h);
    signal(SIGCONT, h);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTSTP);
    sigaddset(&s, SIGTTIN);
    sigaddset(&s, SIGTTOU);
    sigaddset(&s, SIGCONT);
    sigprocmask(SIG_BLOCK, &s, NULL);

    kill(getpid(), SIGTSTP);
    kill(getpid(), SIGTTIN);
    show("stops pending");
    kill(getpid(), SIGCONT);
    show("after SIGCONT");
    kill(getpid(), SIGTTOU);
    show("after SIGTTOU");
    kill(getpid(), SIGCONT);
    kill(getpid(), SIGTSTP);
    show("after SIGCONT then SIGTSTP");
    return 0;
}
