/* A blocking call in a process that is stopped and continued (no
 * handler involved) carries on as if nothing happened: no EINTR. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

int main(void)
{
    int p[2], ready[2];
    pipe(p);
    pipe(ready);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        char b = 0;
        write(ready[1], "r", 1);
        errno = 0;
        long r = read(p[0], &b, 1);
        say("child read: %ld %s byte %c", r, r < 0 ? errname(errno) : "ok", b ? b : '-');
        _exit(0);
    }
    close(p[0]);
    char b;
    read(ready[0], &b, 1);
    struct timespec d = {0, 100000000};
    nanosleep(&d, NULL);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    say("stopped: %s", wstatus(st));
    kill(c, SIGCONT);
    nanosleep(&d, NULL);
    write(p[1], "z", 1);
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
