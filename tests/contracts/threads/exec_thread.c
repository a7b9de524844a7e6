/* contract: glibc
 * execve in a threaded process: every other thread (the leader too, when
 * a non-leader execs) dies first; the new program runs as the process's
 * only thread, keeps the pid, and its tid is the pid. The parent sees one
 * process, ending once. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static char *self;
static volatile pid_t tids[3];
static uint32_t never;
static int pipefd[2];

static void *futex_sleeper(void *arg)
{
    (void)arg;
    tids[0] = (pid_t)syscall(SYS_gettid);
    for (;;)
        futex_t(&never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void *reader(void *arg)
{
    (void)arg;
    tids[1] = (pid_t)syscall(SYS_gettid);
    char c;
    read(pipefd[0], &c, 1);
    return NULL;
}

static void do_exec(void)
{
    while (!tids[0] || !tids[1])
        usleep(1000);
    char a[4][16];
    snprintf(a[0], 16, "%d", getpid());
    snprintf(a[1], 16, "%d", tids[0]);
    snprintf(a[2], 16, "%d", tids[1]);
    snprintf(a[3], 16, "%d", (int)syscall(SYS_gettid));
    char *argv[] = {self, "stage2", a[0], a[1], a[2], a[3], NULL};
    char *envp[] = {NULL};
    execve(self, argv, envp);
    say("execve failed: %s", errname(errno));
    _exit(1);
}

static void *execer(void *arg)
{
    (void)arg;
    do_exec();
    return NULL;
}

static void *nothing(void *arg)
{
    return arg;
}

static int stage2(char **argv)
{
    pid_t old_pid = atoi(argv[2]);
    say("  new program: pid kept %d, tid is the pid %d", getpid() == old_pid, syscall(SYS_gettid) == getpid());
    for (int i = 3; i <= 5; i++) {
        pid_t t = atoi(argv[i]);
        if (t == getpid())
            continue; /* the execing thread was the leader */
        long r = syscall(SYS_tgkill, getpid(), t, 0);
        say("  old thread %d gone: %s", i - 2, r == -1 ? errname(errno) : "still there");
    }
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, nothing, (void *)6L);
    pthread_join(t, &r);
    say("  threads work in the new program: %ld", (long)r);
    exit(9);
}

static void run(const char *name, int from_thread)
{
    say("%s:", name);
    pid_t pid = fork();
    if (pid == 0) {
        pipe(pipefd);
        pthread_t t;
        pthread_create(&t, NULL, futex_sleeper, NULL);
        pthread_create(&t, NULL, reader, NULL);
        if (from_thread) {
            pthread_create(&t, NULL, execer, NULL);
            for (;;)
                pause();
        }
        do_exec();
    }
    int st;
    int got = waitpid(pid, &st, 0) == pid;
    say("  parent reaped it: %d, %s", got, wstatus(st));
    SAY("  nothing else to reap", waitpid(-1, &st, WNOHANG));
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc > 5 && strcmp(argv[1], "stage2") == 0)
        return stage2(argv);
    run("execve from a thread that is not the leader", 1);
    run("execve from the leader while threads run", 0);
    return 0;
}
