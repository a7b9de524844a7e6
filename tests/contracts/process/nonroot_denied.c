/* A process that dropped root really is not root: privileged operations
 * fail with EPERM or EACCES. */
#include "contract.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("secret", O_WRONLY | O_CREAT, 0600);
    write(fd, "s", 1);
    close(fd);
    mkdir("rootdir", 0700);
    chmod(".", 0777);
    pid_t p = fork();
    if (p == 0) {
        setgroups(0, 0);
        setgid(1000);
        setuid(1000);
        SAY("open root's 0600 file", open("secret", O_RDONLY));
        SAY("enter root's 0700 dir", chdir("rootdir"));
        SAY("chown to myself", chown("secret", 1000, 1000));
        SAY("chmod root's file", chmod("secret", 0666));
        SAY("kill init", kill(1, SIGTERM));
        SAY("mknod a device", mknod("dev", S_IFCHR | 0600, makedev(1, 3)));
        SAY("sethostname", sethostname("x", 1));
        SAY("reboot", syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0));
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_max += 1;
        SAY("raise a hard limit", setrlimit(RLIMIT_NOFILE, &rl));
        SAY("chroot", chroot("."));
        SAY("create a file in cwd (0777)", open("mine", O_WRONLY | O_CREAT, 0644));
        struct stat s;
        stat("mine", &s);
        say("my file's owner: %u:%u", s.st_uid, s.st_gid);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
