/* umask(2): returns the old mask; applies to open, mkdir, mknod and
 * bind, never to chmod or symlinks; is per process and inherited. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int mode_of(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

int main(void)
{
    say("old %o", umask(027));
    say("now %o", umask(027));
    close(open("f", O_CREAT | O_WRONLY, 0777));
    say("open 0777 -> %o", mode_of("f"));
    mkdir("d", 0777);
    say("mkdir 0777 -> %o", mode_of("d"));
    mknod("p", S_IFIFO | 0666, 0);
    say("mkfifo 0666 -> %o", mode_of("p"));
    symlink("f", "l");
    say("symlink -> %o", mode_of("l"));
    chmod("f", 0777);
    say("chmod 0777 -> %o", mode_of("f"));
    umask(0);
    close(open("g", O_CREAT | O_WRONLY, 04777));
    say("open 04777 with umask 0 -> %o", mode_of("g"));
    umask(0777);
    close(open("h", O_CREAT | O_WRONLY, 0666));
    say("umask 0777 -> %o", mode_of("h"));
    say("umask takes low bits: old %o", umask(0123456));
    say("stored %o", umask(022));
    pid_t pid = fork();
    if (pid == 0)
        _exit(umask(0) == 022 ? 0 : 1);
    int st;
    waitpid(pid, &st, 0);
    say("inherited: %s", wstatus(st));
    return 0;
}
