/* contract: glibc
 * A process-shared robust mutex in MAP_SHARED memory: when the process
 * holding it dies (killed, or exiting without unlocking), the next
 * pthread_mutex_lock returns EOWNERDEAD, whether it was already waiting
 * or came later; pthread_mutex_consistent makes the mutex usable again,
 * and without it the mutex becomes unrecoverable. */
#include "contract.h"
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static pthread_mutex_t *m;

static void hold_then(int how, int pipefd)
{
    pthread_mutex_lock(m);
    char c = 'x';
    write(pipefd, &c, 1);
    if (how == 0)
        pause(); /* killed by the parent */
    usleep(100 * 1000);
    _exit(0); /* exits without unlocking */
}

int main(void)
{
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);

    int p[2];
    char c;
    pipe(p);
    pid_t pid = fork();
    if (pid == 0)
        hold_then(0, p[1]);
    read(p[0], &c, 1);
    say("trylock while the child holds it: %s", errname(pthread_mutex_trylock(m)));
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    say("lock after the owner was killed: %s", errname(pthread_mutex_lock(m)));
    say("consistent: %s", errname(pthread_mutex_consistent(m)));
    say("unlock: %s", errname(pthread_mutex_unlock(m)));
    say("lock again: %s", errname(pthread_mutex_lock(m)));
    say("unlock: %s", errname(pthread_mutex_unlock(m)));

    pid = fork();
    if (pid == 0)
        hold_then(1, p[1]);
    read(p[0], &c, 1);
    /* Most likely blocked in the kernel when the child exits. */
    say("lock while the owner exits: %s", errname(pthread_mutex_lock(m)));
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    say("unlock without consistent: %s", errname(pthread_mutex_unlock(m)));
    say("lock: %s", errname(pthread_mutex_lock(m)));
    say("trylock: %s", errname(pthread_mutex_trylock(m)));
    return 0;
}
