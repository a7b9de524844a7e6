/* setpgid on a child that has called execve fails with EACCES. */
#include "contract.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        char c;
        read(0, &c, 1); /* wait for the parent */
        return 0;
    }
    int fd[2];
    pipe(fd);
    pid_t p = fork();
    if (p == 0) {
        dup2(fd[0], 0);
        execl(argv[0], argv[0], "child", (char *)0);
        _exit(127);
    }
    /* Give the child time to exec: wait until it is in read(), by probing. */
    for (int i = 0; i < 2000; i++) {
        if (setpgid(p, p) == -1 && errno == EACCES)
            break;
        usleep(1000);
    }
    SAY("setpgid after exec", setpgid(p, p));
    write(fd[1], "x", 1);
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
