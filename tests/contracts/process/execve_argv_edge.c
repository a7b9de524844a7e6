/* execve with an empty argv (Linux supplies argc 1 with an empty argv[0]),
 * a NULL envp, and an argument of exactly the per-string limit. */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc == 1 && argv[0][0] == 0) {
        say("empty argv: argc=%d argv[0]='%s' env empty=%d", argc, argv[0], environ == 0 || environ[0] == 0);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "long") == 0) {
        say("long argument length %zu", strlen(argv[2]));
        return 0;
    }
    int st;
    pid_t p = fork();
    if (p == 0) {
        syscall(SYS_execve, argv[0], 0, 0);
        _exit(127);
    }
    waitpid(p, &st, 0);
    say("exec with NULL argv and envp: %s", wstatus(st));

    /* MAX_ARG_STRLEN is 32 pages: one byte less (plus NUL) fits. */
    size_t len = 32 * 4096 - 1;
    char *s = malloc(len + 1);
    memset(s, 'q', len);
    s[len] = 0;
    p = fork();
    if (p == 0) {
        char *a[] = {argv[0], "long", s, 0};
        execv(argv[0], a);
        say("exec failed: %s", errname(errno));
        _exit(127);
    }
    waitpid(p, &st, 0);
    s[len - 1] = 'q';
    char *t = malloc(len + 2);
    memset(t, 'q', len + 1);
    t[len + 1] = 0;
    char *a[] = {argv[0], "long", t, 0};
    SAY("argument one byte over MAX_ARG_STRLEN", execv(argv[0], a));
    return 0;
}
