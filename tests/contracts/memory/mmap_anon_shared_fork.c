/* MAP_SHARED|MAP_ANONYMOUS memory is one object across fork: stores by
 * either side are seen by the other, while MAP_PRIVATE memory is copied. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

int main(void)
{
    volatile int *sh = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *pr = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sh[0] = 1;
    pr[0] = 1;
    /* Page 3 of the shared object is first touched by the child. */
    int pfd[2];
    pipe(pfd);
    pid_t pid = fork();
    if (pid == 0) {
        say("child sees shared: %d private: %d", sh[0], pr[0]);
        sh[0] = 2;
        pr[0] = 2;
        sh[3 * PG / sizeof(int)] = 33;
        write(pfd[1], "x", 1);
        _exit(0);
    }
    char c;
    read(pfd[0], &c, 1);
    say("parent sees child's shared store: %d", sh[0]);
    say("parent private unchanged: %d", pr[0]);
    say("page first touched by the child: %d", sh[3 * PG / sizeof(int)]);
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    sh[1] = 5;
    pid = fork();
    if (pid == 0) {
        _exit(sh[1] == 5 ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    say("second child sees later store: %s", wstatus(st));
    SAY("munmap shared", munmap((void *)sh, 4 * PG));
    return 0;
}
