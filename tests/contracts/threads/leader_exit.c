/* contract: glibc
 * The leader thread may end first (pthread_exit in main, or exit(2)):
 * the process lives on with its other threads, keeps its pid, is not
 * reported to the parent, and ends with its last thread, whose status it
 * reports (also when every thread ends with exit(2)). */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static int to_parent[2], from_parent[2];
static pid_t pid_before;

static void *survivor(void *arg)
{
    long raw = (long)arg;
    /* Let the leader end first. */
    usleep(50 * 1000);
    char c = getpid() == pid_before ? 'y' : 'n';
    write(to_parent[1], &c, 1);
    read(from_parent[0], &c, 1);
    if (raw)
        syscall(SYS_exit, 4);
    exit(5);
}

static void run(const char *name, long raw)
{
    pipe(to_parent);
    pipe(from_parent);
    pid_t pid = fork();
    if (pid == 0) {
        pid_before = getpid();
        pthread_t t;
        pthread_create(&t, NULL, survivor, (void *)raw);
        if (raw)
            syscall(SYS_exit, 3);
        pthread_exit(NULL);
    }
    char c = 0;
    read(to_parent[0], &c, 1);
    say("%s:", name);
    say("  the survivor sees the same pid: %c", c);
    int st;
    SAY("  not reported while a thread lives (WNOHANG)", waitpid(pid, &st, WNOHANG));
    SAY("  the process can still be signalled", kill(pid, 0));
    write(from_parent[1], "g", 1);
    int got = waitpid(pid, &st, 0) == pid;
    say("  then reaped: %d, %s", got, wstatus(st));
    close(to_parent[0]);
    close(to_parent[1]);
    close(from_parent[0]);
    close(from_parent[1]);
}

int main(void)
{
    run("pthread_exit in main, the thread calls exit(5)", 0);
    run("exit(3) in main, the thread calls exit(4)", 1);
    return 0;
}
