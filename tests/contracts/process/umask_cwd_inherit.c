/* umask and the working directory are inherited across fork and exec. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    char cwd[512];
    if (argc > 1) {
        mode_t m = umask(0);
        getcwd(cwd, sizeof cwd);
        say("after exec: umask %03o, cwd ends with /deep/er: %d", m, strstr(cwd, "/deep/er") != 0);
        return 0;
    }
    char self[512];
    if (argv[0][0] == '/')
        snprintf(self, sizeof self, "%s", argv[0]);
    else {
        getcwd(cwd, sizeof cwd);
        snprintf(self, sizeof self, "%s/%s", cwd, argv[0]);
    }
    SAY("umask(027) returns old", umask(027));
    mkdir("deep", 0755);
    mkdir("deep/er", 0755);
    chdir("deep/er");
    pid_t p = fork();
    if (p == 0) {
        mode_t m = umask(027);
        getcwd(cwd, sizeof cwd);
        say("child: umask %03o, cwd ends with /deep/er: %d", m, strstr(cwd, "/deep/er") != 0);
        int fd = open("made", O_CREAT | O_WRONLY, 0777);
        struct stat s;
        fstat(fd, &s);
        say("file created with 0777 under umask 027: %o", s.st_mode & 0777);
        execl(self, self, "exec", (char *)0);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));
    int dfd = open("..", O_RDONLY | O_DIRECTORY);
    SAY("fchdir", fchdir(dfd));
    getcwd(cwd, sizeof cwd);
    say("cwd after fchdir ends with /deep: %d", strlen(cwd) >= 5 && strcmp(cwd + strlen(cwd) - 5, "/deep") == 0);
    SAY("fchdir to a file", fchdir(open("er/made", O_RDONLY)));
    return 0;
}
