/* getcwd: ERANGE for short buffers, the length returned by the raw call
 * (bytes including the NUL), a removed working directory, and fchdir. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int main(void)
{
    char buf[4096];
    mkdir("w", 0755);
    chdir("w");
    long n = syscall(SYS_getcwd, buf, sizeof buf);
    say("raw length is strlen+1: %d", n == (long)strlen(buf) + 1);
    SAY("size 1", syscall(SYS_getcwd, buf, 1));
    SAY("size 0", syscall(SYS_getcwd, buf, 0));
    SAY("exact size", syscall(SYS_getcwd, buf, n) == n);
    SAY("one short", syscall(SYS_getcwd, buf, n - 1));
    SAY("bad pointer", syscall(SYS_getcwd, (char *)8, sizeof buf));
    int up = open("..", O_RDONLY | O_DIRECTORY);
    rmdir("../w");
    SAY("cwd removed", syscall(SYS_getcwd, buf, sizeof buf));
    SAY("create in removed cwd", open("x", O_CREAT | O_WRONLY, 0644));
    SAY("stat . in removed cwd", access(".", F_OK));
    SAY("fchdir back", fchdir(up));
    SAY("getcwd again ok", syscall(SYS_getcwd, buf, sizeof buf) > 0);
    int f = open("file", O_CREAT | O_WRONLY, 0644);
    SAY("fchdir to file", fchdir(f));
    SAY("chdir to file", chdir("file"));
    int p = open(".", O_PATH);
    SAY("fchdir to O_PATH dir", fchdir(p));
    SAY("fchdir bad fd", fchdir(99));
    unlink("file");
    return 0;
}
