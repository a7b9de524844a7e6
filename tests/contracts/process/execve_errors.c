/* execve errors: ENOENT, EACCES (no x bit, directory), ENOEXEC (garbage),
 * ENOTDIR, ENAMETOOLONG, EFAULT, E2BIG (huge argument); a failed execve
 * leaves the caller intact. */
#include "contract.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

static void mkfile(const char *path, const char *data, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    write(fd, data, strlen(data));
    close(fd);
    chmod(path, mode);
}

int main(void)
{
    char *argv[] = {"x", 0};
    char *envp[] = {0};
    SAY("missing file", execve("./nonexistent", argv, envp));
    mkfile("noexec", "#!/bin/sh\necho hi\n", 0644);
    SAY("no x bit", execve("./noexec", argv, envp));
    mkdir("dir", 0755);
    SAY("directory", execve("./dir", argv, envp));
    mkfile("garbage", "this is not a program\n", 0755);
    SAY("garbage (no #!)", execve("./garbage", argv, envp));
    mkfile("short-elf", "\177ELF", 0755);
    SAY("truncated ELF", execve("./short-elf", argv, envp));
    SAY("path through a file", execve("./garbage/x", argv, envp));
    char longname[PATH_MAX + 10];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    SAY("path too long", execve(longname, argv, envp));
    SAY("bad path pointer", execve((char *)1, argv, envp));
    mkfile("badinterp", "#!/nonexistent/interpreter\n", 0755);
    SAY("missing interpreter", execve("./badinterp", argv, envp));
    size_t big = 8 * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, 'y', big - 1);
    huge[big - 1] = 0;
    char *bigv[] = {"x", huge, 0};
    SAY("argument too big", execve("/bin/true", bigv, envp));
    say("still running after failed execs: 1");
    return 0;
}
