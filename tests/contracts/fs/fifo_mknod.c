/* mkfifo/mknod: FIFOs between two processes (open blocks until the other
 * side arrives), O_NONBLOCK rules, device nodes, mknod errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

int main(void)
{
    SAY("mkfifo", mkfifo("ff", 0644));
    struct stat st;
    stat("ff", &st);
    say("is a fifo: %d, mode %o", S_ISFIFO(st.st_mode), st.st_mode & 0777);
    SAY("mkfifo existing", mkfifo("ff", 0644));
    SAY("nonblocking writer without a reader", open("ff", O_WRONLY | O_NONBLOCK));
    int r = open("ff", O_RDONLY | O_NONBLOCK);
    say("nonblocking reader opens: %d", r >= 0);
    char buf[32];
    SAY("read with no writer yet", read(r, buf, sizeof buf));
    close(r);
    pid_t p = fork();
    if (p == 0) {
        int w = open("ff", O_WRONLY); /* blocks until the parent opens */
        write(w, "through the fifo", 16);
        close(w);
        _exit(0);
    }
    r = open("ff", O_RDONLY);
    int n = read(r, buf, sizeof buf);
    say("read %d: %.*s", n, n, buf);
    SAY("EOF after writer closed", read(r, buf, sizeof buf));
    waitpid(p, 0, 0);
    int rw = open("ff", O_RDWR);
    say("O_RDWR open never blocks: %d", rw >= 0);
    SAY("mknod a regular file", mknod("reg", S_IFREG | 0600, 0));
    stat("reg", &st);
    say("regular: %d", S_ISREG(st.st_mode));
    SAY("mknod a char device", mknod("null2", S_IFCHR | 0666, makedev(1, 3)));
    int fd = open("null2", O_WRONLY);
    SAY("write to the new null device", write(fd, "gone", 4));
    SAY("mknod bad type", mknod("bad", 0170000 | 0600, 0));
    SAY("mknod a directory", mknod("dir", S_IFDIR | 0755, 0));
    SAY("mknod existing", mknod("reg", S_IFREG | 0600, 0));
    return 0;
}
