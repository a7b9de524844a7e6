/* pause() returns -1 EINTR once a handler ran, even with SA_RESTART;
 * alarm() is the classic way to end it. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>

static volatile sig_atomic_t got;

static void h(int sig) { got = sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);

    SAY("alarm(1)", alarm(1));
    SAY("pause", pause());
    say("handler got SIGALRM: %d", got == SIGALRM);

    got = 0;
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    OK("setitimer 200ms", setitimer(ITIMER_REAL, &it, NULL));
    SAY("pause", pause());
    say("handler got SIGALRM: %d", got == SIGALRM);
    return 0;
}
