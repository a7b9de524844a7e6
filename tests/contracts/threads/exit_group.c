/* contract: glibc
 * exit_group from any thread ends every thread of the process at once,
 * wherever they are (sleeping in read, futex, nanosleep, or running),
 * and the parent sees that thread's status. So does a fatal signal. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static int pipefd[2];
static uint32_t never;

static void *reader(void *arg)
{
    (void)arg;
    char c;
    read(pipefd[0], &c, 1);
    return NULL;
}

static void *futex_sleeper(void *arg)
{
    (void)arg;
    for (;;)
        futex_t(&never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void *spinner(void *arg)
{
    (void)arg;
    for (volatile unsigned long i = 0;; i++)
        ;
}

static void *sleeper(void *arg)
{
    (void)arg;
    sleep(100);
    return NULL;
}

static void *ender(void *arg)
{
    usleep(30 * 1000);
    long how = (long)arg;
    if (how == 0)
        exit(7);
    if (how == 1)
        syscall(SYS_exit_group, 8);
    if (how == 2)
        kill(getpid(), SIGTERM);
    raise(SIGKILL);
    return NULL;
}

static void run(const char *name, long how)
{
    pid_t pid = fork();
    if (pid == 0) {
        pipe(pipefd);
        pthread_t t;
        pthread_create(&t, NULL, reader, NULL);
        pthread_create(&t, NULL, futex_sleeper, NULL);
        pthread_create(&t, NULL, spinner, NULL);
        pthread_create(&t, NULL, sleeper, NULL);
        pthread_create(&t, NULL, ender, (void *)how);
        pause(); /* the leader sleeps too */
        _exit(99);
    }
    int st;
    waitpid(pid, &st, 0);
    say("%s: %s", name, wstatus(st));
}

int main(void)
{
    run("exit(7) in a thread", 0);
    run("exit_group(8) in a thread", 1);
    run("SIGTERM to the process", 2);
    run("SIGKILL raised in a thread", 3);
    return 0;
}
