/* POSIX timers belong to the process that made them: a fork child has
 * none, and execve deletes them. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct itimerspec cur;
    if (argc > 1) {
        int id = atoi(argv[1]);
        SAY("after exec: timer_gettime", syscall(SYS_timer_gettime, id, &cur));
        return 0;
    }
    signal(SIGUSR1, SIG_IGN);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    int id = -1;
    syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id);
    struct itimerspec in = {{0, 0}, {100, 0}};
    syscall(SYS_timer_settime, id, 0, &in, NULL);
    pid_t c = fork();
    if (c == 0) {
        SAY("child: timer_gettime", syscall(SYS_timer_gettime, id, &cur));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    SAY("parent: timer_gettime", syscall(SYS_timer_gettime, id, &cur));
    char buf[16];
    snprintf(buf, sizeof buf, "%d", id);
    char *args[] = {argv[0], buf, NULL};
    char *env[] = {NULL};
    execve(argv[0], args, env);
    say("execve: %s", errname(errno));
    return 1;
}
