/* contract: glibc
 * A thread other than the leader that ends (exit(2) or pthread_exit)
 * ends alone: the process and its other threads go on, and the process's
 * exit status is still the one its last exit_group chooses. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static volatile uint32_t ctid;

static int raw_exit(void *arg)
{
    syscall(SYS_exit, (int)(long)arg);
    return 0;
}

static void *early(void *arg)
{
    (void)arg;
    pthread_exit((void *)42L);
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        /* A raw thread that calls exit(7): only it ends. */
        raw_thread(raw_exit, (void *)7L, &ctid);
        raw_join(&ctid);
        say("child: still running after its thread's exit(7)");
        pthread_t t;
        void *r;
        pthread_create(&t, NULL, early, NULL);
        pthread_join(t, &r);
        say("child: pthread_exit value %ld", (long)r);
        exit(3);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));

    /* Many threads ending while the leader waits. */
    pthread_t t[16];
    for (int i = 0; i < 16; i++)
        pthread_create(&t[i], NULL, early, NULL);
    long sum = 0;
    for (int i = 0; i < 16; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    say("16 threads ended, values sum to %ld", sum);
    return 0;
}
