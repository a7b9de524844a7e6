/* kill(0, sig) reaches every process in the caller's group (itself too);
 * kill(-pgid, sig) reaches the group pgid; an empty group is ESRCH. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int got;
static void h(int sig) { got = sig; }

static pid_t spawn(int in_new_group, pid_t group, int *ready)
{
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        if (in_new_group)
            setpgid(0, group);
        signal(SIGUSR1, SIG_DFL);
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    if (in_new_group)
        setpgid(c, group ? group : c); /* avoid a race with the child */
    char b;
    read(p[0], &b, 1);
    close(p[0]);
    close(p[1]);
    *ready = 1;
    return c;
}

int main(void)
{
    int r;
    /* Start a fresh group so other processes are not affected. */
    setpgid(0, 0);
    signal(SIGUSR1, h);

    pid_t a = spawn(0, 0, &r);
    pid_t b = spawn(0, 0, &r);
    OK("kill(0, SIGUSR1)", kill(0, SIGUSR1));
    say("self got it: %d", got == SIGUSR1);
    int st;
    waitpid(a, &st, 0);
    say("child a: %s", wstatus(st));
    waitpid(b, &st, 0);
    say("child b: %s", wstatus(st));

    /* Two children in their own group. */
    pid_t g1 = spawn(1, 0, &r);
    pid_t g2 = spawn(1, g1, &r);
    say("g2 joined g1's group: %d", getpgid(g2) == g1);
    got = 0;
    OK("kill(-g1, SIGTERM)", kill(-g1, SIGTERM));
    waitpid(g1, &st, 0);
    say("g1: %s", wstatus(st));
    waitpid(g2, &st, 0);
    say("g2: %s", wstatus(st));
    say("self untouched: %d", got == 0);
    SAY("kill(-g1, 0) after they died", kill(-g1, 0));
    SAY("killpg(getpgrp(), 0)", killpg(getpgrp(), 0));
    return 0;
}
