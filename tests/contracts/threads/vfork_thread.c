/* contract: glibc
 * vfork from a thread suspends only that thread: the others run on while
 * the child borrows the memory, until it calls execve or _exit. A failed
 * execve from a thread leaves the process and its threads as they were
 * (the others are killed only once the new program is loaded). */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static volatile int ticks, stop;
static char result[128];

static void *ticker(void *arg)
{
    (void)arg;
    while (!stop) {
        ticks++;
        usleep(1000);
    }
    return NULL;
}

static void *vforker(void *arg)
{
    (void)arg;
    int before = ticks;
    pid_t pid = vfork();
    if (pid == 0) {
        /* The ticker must move while we (the child) run and the vforking
         * thread is suspended. */
        for (int i = 0; i < 2000 && ticks < before + 5; i++)
            usleep(1000);
        _exit(ticks >= before + 5 ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    snprintf(result, sizeof result, "vfork child saw the other thread run: %s", wstatus(st));
    return NULL;
}

static void *bad_exec(void *arg)
{
    (void)arg;
    char *argv[] = {"/nonexistent/program", NULL};
    execv(argv[0], argv);
    snprintf(result, sizeof result, "execve of a missing program from a thread: %s", errname(errno));
    return NULL;
}

int main(void)
{
    pthread_t tick, t;
    pthread_create(&tick, NULL, ticker, NULL);
    pthread_create(&t, NULL, vforker, NULL);
    pthread_join(t, NULL);
    say("%s", result);
    pthread_create(&t, NULL, bad_exec, NULL);
    pthread_join(t, NULL);
    say("%s", result);
    int before = ticks;
    while (ticks < before + 3)
        usleep(1000);
    say("the other thread still runs: 1");
    stop = 1;
    pthread_join(tick, NULL);
    return 0;
}
