/* contract: glibc
 * tgkill sends a signal to one thread: the handler runs in that thread.
 * A tid outside the given thread group, or that does not exist, is ESRCH;
 * bad arguments are EINVAL; signal 0 only checks. pthread_kill goes the
 * same way. (Whether a joined thread's tid is already gone is a race on
 * Linux: join returns when the tid word is cleared, before the end of
 * the exit.) */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>

static volatile pid_t handled_in;
static volatile pid_t thread_tid;
static uint32_t go;

static void handler(int sig)
{
    (void)sig;
    handled_in = (pid_t)syscall(SYS_gettid);
}

static void *target(void *arg)
{
    (void)arg;
    thread_tid = (pid_t)syscall(SYS_gettid);
    while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
        futex_t(&go, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

int main(void)
{
    signal(SIGUSR1, handler);
    pthread_t t;
    pthread_create(&t, NULL, target, NULL);
    while (!thread_tid)
        usleep(1000);
    pid_t me = (pid_t)syscall(SYS_gettid);

    SAY("tgkill the thread", syscall(SYS_tgkill, getpid(), thread_tid, SIGUSR1));
    while (!handled_in)
        usleep(1000);
    say("handler ran in the thread: %d", handled_in == thread_tid);
    handled_in = 0;
    SAY("tgkill the main thread", syscall(SYS_tgkill, getpid(), me, SIGUSR1));
    say("handler ran in main: %d", handled_in == me);
    handled_in = 0;
    say("pthread_kill: %s", errname(pthread_kill(t, SIGUSR1)));
    while (!handled_in)
        usleep(1000);
    say("handler ran in the thread: %d", handled_in == thread_tid);
    SAY("tkill the thread, signal 0", syscall(SYS_tkill, thread_tid, 0));
    SAY("signal 0", syscall(SYS_tgkill, getpid(), thread_tid, 0));
    SAY("wrong thread group", syscall(SYS_tgkill, 1, thread_tid, 0));
    SAY("no such tid", syscall(SYS_tgkill, getpid(), 0x3ffffff0, 0));
    SAY("signal 65", syscall(SYS_tgkill, getpid(), thread_tid, 65));
    SAY("tgid 0", syscall(SYS_tgkill, 0, thread_tid, 0));
    SAY("tid 0", syscall(SYS_tgkill, getpid(), 0, 0));
    SAY("tkill tid -1", syscall(SYS_tkill, -1, 0));

    __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
    futex_n(&go, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    pthread_join(t, NULL);
    return 0;
}
