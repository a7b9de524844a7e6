/* A fork child does not inherit alarms or interval timers; execve keeps
 * them. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        struct itimerval cur;
        getitimer(ITIMER_VIRTUAL, &cur);
        say("after exec: VIRTUAL kept %d", cur.it_value.tv_sec > 0);
        say("after exec: alarm kept, seconds left in [1,100]: %d", (int)alarm(0) >= 1);
        return 0;
    }
    signal(SIGALRM, SIG_IGN);
    alarm(100);
    struct itimerval v = {{0, 0}, {50, 0}};
    setitimer(ITIMER_VIRTUAL, &v, NULL);
    pid_t c = fork();
    if (c == 0) {
        struct itimerval cur;
        getitimer(ITIMER_VIRTUAL, &cur);
        say("child: VIRTUAL disarmed %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
        SAY("child: alarm(0)", alarm(0));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    char *args[] = {argv[0], "x", NULL};
    char *env[] = {NULL};
    execve(argv[0], args, env);
    say("execve: %s", errname(errno));
    return 1;
}
