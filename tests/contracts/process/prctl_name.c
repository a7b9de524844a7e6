/* PR_SET_NAME / PR_GET_NAME: 15 characters and a NUL; exec sets it to the
 * file name. */
#include "contract.h"
#include <sys/prctl.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    char name[32];
    if (argc > 1) {
        prctl(PR_GET_NAME, name);
        say("after exec: %s", name);
        return 0;
    }
    memset(name, 'x', sizeof name);
    SAY("set short", prctl(PR_SET_NAME, "short"));
    prctl(PR_GET_NAME, name);
    say("get: %s (len %zu)", name, strlen(name));
    SAY("set long", prctl(PR_SET_NAME, "a-very-long-process-name-indeed"));
    prctl(PR_GET_NAME, name);
    say("get: %s (len %zu)", name, strlen(name));
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        prctl(PR_GET_NAME, name);
        say("child inherits: %s", name);
        execl(argv[0], argv[0], "again", (char *)0);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    return 0;
}
