/* contract: glibc
 * fork from a thread: the child process has a single thread, the copy of
 * the caller, whose tid is the child's pid; the parent's other threads do
 * not exist there. Children belong to the process: any thread can wait
 * for a child another thread forked. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static pid_t parent_pid, leader_child;
static char result[3][128];

static void *nothing(void *arg)
{
    return arg;
}

static void *forker(void *arg)
{
    (void)arg;
    pid_t worker_tid = (pid_t)syscall(SYS_gettid);
    pid_t pid = fork();
    if (pid == 0) {
        int ok = syscall(SYS_gettid) == getpid() && getpid() != worker_tid;
        long r = syscall(SYS_tgkill, getpid(), parent_pid, 0);
        int leader_gone = r == -1 && errno == ESRCH;
        pthread_t t;
        void *v = NULL;
        pthread_create(&t, NULL, nothing, (void *)5L);
        pthread_join(t, &v);
        _exit(ok && leader_gone && v == (void *)5L ? 3 : 4);
    }
    int st;
    int got = waitpid(pid, &st, 0) == pid;
    snprintf(result[0], sizeof result[0], "child of a thread: reaped by it %d, %s", got, wstatus(st));
    /* A child the leader forked. */
    got = waitpid(leader_child, &st, 0) == leader_child;
    snprintf(result[1], sizeof result[1], "leader's child, waited for by a thread: %d, %s", got, wstatus(st));
    return NULL;
}

int main(void)
{
    parent_pid = getpid();
    leader_child = fork();
    if (leader_child == 0) {
        usleep(20 * 1000);
        _exit(6);
    }
    pthread_t t;
    pthread_create(&t, NULL, forker, NULL);
    pthread_join(t, NULL);
    say("%s", result[0]);
    say("%s", result[1]);
    int st;
    SAY("nothing left to wait for", waitpid(-1, &st, WNOHANG));
    return 0;
}
