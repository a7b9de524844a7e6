/* contract: glibc
 * Threads of one process share the pid and each has its own tid; the
 * main thread's tid is the pid; getppid is the process's parent for every
 * thread. */
#include "contract.h"
#include <pthread.h>
#include <sys/syscall.h>

#define N 4
static pid_t pids[N], tids[N], ppids[N];

static void *who(void *arg)
{
    long i = (long)arg;
    pids[i] = getpid();
    tids[i] = (pid_t)syscall(SYS_gettid);
    ppids[i] = getppid();
    return NULL;
}

int main(void)
{
    pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
    say("main: tid == pid: %d", tid == pid);
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, who, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    int same_pid = 1, own_tid = 1, distinct = 1, same_ppid = 1;
    for (int i = 0; i < N; i++) {
        same_pid &= pids[i] == pid;
        own_tid &= tids[i] != pid && tids[i] > 0;
        same_ppid &= ppids[i] == getppid();
        for (int j = 0; j < i; j++)
            distinct &= tids[i] != tids[j];
    }
    say("threads: same pid %d, tid not the pid %d, distinct tids %d, same ppid %d", same_pid, own_tid, distinct, same_ppid);
    return 0;
}
