/* contract: glibc
 * Signal masks are per thread: a new thread starts with its creator's
 * mask; a process-directed signal (kill) goes to a thread that does not
 * block it, or stays pending until one unblocks it; a thread-directed
 * one is pending for that thread only. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>

static volatile pid_t handled_in;
static volatile pid_t worker_tid;
static volatile int step;
static int inherited_usr2_blocked;
static int saw_pending_usr2;

static void handler(int sig)
{
    (void)sig;
    handled_in = (pid_t)syscall(SYS_gettid);
}

static void wait_step(int s)
{
    while (step < s)
        usleep(1000);
}

static void *worker(void *arg)
{
    (void)arg;
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    inherited_usr2_blocked = sigismember(&cur, SIGUSR2);
    worker_tid = (pid_t)syscall(SYS_gettid);
    /* Step 1: SIGUSR1 unblocked here, blocked in main. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    step = 1;
    wait_step(2);
    /* Step 2: block it again; main sends while both block it. */
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    step = 3;
    wait_step(4);
    /* Step 4: unblock: the pending process signal is delivered here. */
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    step = 5;
    wait_step(6);
    sigset_t p;
    sigpending(&p);
    saw_pending_usr2 = sigismember(&p, SIGUSR2);
    step = 7;
    return NULL;
}

int main(void)
{
    signal(SIGUSR1, handler);
    signal(SIGUSR2, handler);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    wait_step(1);
    say("new thread inherited the blocked SIGUSR2: %d", inherited_usr2_blocked);
    kill(getpid(), SIGUSR1);
    while (!handled_in)
        usleep(1000);
    say("kill while main blocks it: handled by the worker %d", handled_in == worker_tid);
    handled_in = 0;
    step = 2;
    wait_step(3);
    kill(getpid(), SIGUSR1);
    usleep(20 * 1000);
    sigset_t p;
    sigpending(&p);
    say("blocked everywhere: not handled %d, pending for the process %d", handled_in == 0, sigismember(&p, SIGUSR1));
    step = 4;
    wait_step(5);
    while (!handled_in)
        usleep(1000);
    say("after the worker unblocked it: handled by the worker %d", handled_in == worker_tid);
    sigpending(&p);
    say("no longer pending: %d", !sigismember(&p, SIGUSR1));
    /* A thread-directed signal is pending for its target only. */
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
    sigpending(&p);
    say("main sees its own pending SIGUSR2: %d", sigismember(&p, SIGUSR2));
    step = 6;
    wait_step(7);
    say("worker sees main's SIGUSR2 pending: %d", saw_pending_usr2);
    pthread_join(t, NULL);
    handled_in = 0;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    say("unblocked in main: handled by main %d", handled_in == (pid_t)syscall(SYS_gettid));
    return 0;
}
