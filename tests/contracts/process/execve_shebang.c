/* #! scripts: the interpreter gets [interp, optional arg, script path,
 * args...]; nested interpreters work; a missing interpreter is ENOENT. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void mkscript(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, text, strlen(text));
    close(fd);
}

static void run(const char *label, char *const argv[])
{
    int pfd[2];
    pipe(pfd);
    pid_t p = fork();
    if (p == 0) {
        dup2(pfd[1], 1);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[1]);
    char buf[256];
    int n = read(pfd[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    int st;
    waitpid(p, &st, 0);
    close(pfd[0]);
    say("%s: %s| %s", label, buf[0] ? strtok(buf, "\n") : "", wstatus(st));
}

int main(void)
{
    mkscript("s1", "#!/bin/echo\n");
    char *a1[] = {"./s1", "x", "y", 0};
    run("no interpreter arg", a1);
    mkscript("s2", "#! /bin/echo  one two  \n");
    char *a2[] = {"./s2", "z", 0};
    run("arg with spaces", a2);
    mkscript("s3", "#!./s1 nested\n");
    char *a3[] = {"./s3", "w", 0};
    run("nested", a3);
    mkscript("s4", "#!/bin/sh\necho from-sh $#\n");
    char *a4[] = {"./s4", "1", "2", 0};
    run("sh script", a4);
    return 0;
}
