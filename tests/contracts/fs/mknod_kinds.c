/* mknod(2): regular files, FIFOs, character devices (a /dev/null twin
 * that works), sockets, errors for directories, bad types, existing
 * names and unprivileged device creation. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

int main(void)
{
    struct stat st;
    SAY("regular", mknod("reg", S_IFREG | 0640, 0));
    stat("reg", &st);
    say("reg is %d mode %o size %ld", S_ISREG(st.st_mode), st.st_mode & 0777, (long)st.st_size);
    SAY("type 0 is regular", mknod("reg0", 0640, 0));
    stat("reg0", &st);
    say("reg0 is %d", S_ISREG(st.st_mode));
    SAY("fifo", mknod("fifo", S_IFIFO | 0600, 0));
    SAY("char 1:3", mknod("null2", S_IFCHR | 0666, makedev(1, 3)));
    stat("null2", &st);
    say("char %d rdev %d:%d", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
    int fd = open("null2", O_RDWR);
    SAY("write to it", write(fd, "abc", 3));
    char b[4];
    SAY("read from it", read(fd, b, sizeof b));
    SAY("socket", mknod("sock", S_IFSOCK | 0600, 0));
    SAY("open socket file", open("sock", O_RDONLY));
    SAY("directory", mknod("dir", S_IFDIR | 0755, 0));
    SAY("bad type", mknod("bad", 0170000 | 0644, 0));
    SAY("existing", mknod("reg", S_IFREG | 0644, 0));
    SAY("missing parent", mknod("no/x", S_IFREG | 0644, 0));
    pid_t pid = fork();
    if (pid == 0) {
        chmod(".", 0777);
        setuid(1000);
        SAY("nobody char dev", mknod("mine", S_IFCHR | 0666, makedev(1, 3)));
        SAY("nobody fifo", mknod("mine", S_IFIFO | 0666, 0));
        SAY("nobody regular", mknod("mine2", S_IFREG | 0666, 0));
        _exit(0);
    }
    int s;
    waitpid(pid, &s, 0);
    return 0;
}
