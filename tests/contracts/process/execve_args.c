/* execve passes argv and envp exactly (empty strings, many entries), and
 * the new program sees them. */
#include "contract.h"
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "count") == 0) {
        say("many: argc=%d last=%s", argc, argv[argc - 1]);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        say("argc=%d", argc);
        for (int i = 1; i < argc; i++)
            say("argv[%d]='%s'", i, argv[i]);
        int n = 0;
        for (char **e = environ; *e; e++, n++)
            say("env[%d]='%s'", n, *e);
        say("envc=%d", n);
        return 0;
    }
    char *args[] = {argv[0], "child", "", "two words", "last", 0};
    char *env[] = {"A=1", "EMPTY=", "B=x=y", 0};
    pid_t p = fork();
    if (p == 0) {
        execve(argv[0], args, env);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));

    /* Many arguments. */
    static char *many[1002];
    many[0] = argv[0];
    many[1] = "count";
    for (int i = 2; i < 1001; i++)
        many[i] = "a";
    many[1001] = 0;
    p = fork();
    if (p == 0) {
        char *e[] = {0};
        execve(argv[0], many, e);
        _exit(127);
    }
    waitpid(p, &st, 0);
    return 0;
}
