/* chdir/fchdir/getcwd (buffer sizes, removed cwd), chroot. */
#include "contract.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void)
{
    char buf[PATH_MAX];
    mkdir("a", 0755);
    mkdir("a/b", 0755);
    SAY("chdir a/b", chdir("a/b"));
    getcwd(buf, sizeof buf);
    say("cwd ends with /a/b: %d", strlen(buf) > 4 && strcmp(buf + strlen(buf) - 4, "/a/b") == 0);
    SAY("getcwd size 1", syscall(79, buf, 1));
    SAY("getcwd size 0", syscall(79, buf, 0));
    SAY("chdir ..", chdir(".."));
    SAY("chdir to a file", (close(open("file", O_CREAT | O_WRONLY, 0644)), chdir("file")));
    SAY("chdir missing", chdir("missing"));
    pid_t p = fork();
    if (p == 0) {
        SAY("chroot to b", chroot("b"));
        SAY("chdir / after chroot", chdir("/"));
        getcwd(buf, sizeof buf);
        say("cwd in chroot: %s", buf);
        close(open("/inside", O_CREAT | O_WRONLY, 0644));
        SAY("chdir .. stays at the new root", chdir(".."));
        getcwd(buf, sizeof buf);
        say("cwd after ..: %s", buf);
        _exit(0);
    }
    waitpid(p, 0, 0);
    SAY("file created inside the chroot is in b", access("b/inside", F_OK));
    mkdir("gone", 0755);
    chdir("gone");
    rmdir("../gone");
    long r = syscall(79, buf, sizeof buf);
    say("getcwd in a removed dir: %s", r < 0 ? errname(errno) : (strstr(buf, "(unreachable)") ? "unreachable" : "path"));
    return 0;
}
