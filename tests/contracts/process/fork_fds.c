/* After fork, parent and child share open file descriptions: one offset,
 * one set of status flags; closing in one does not close in the other. */
#include "contract.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    lseek(fd, 2, SEEK_SET);
    pid_t p = fork();
    if (p == 0) {
        char c;
        read(fd, &c, 1);
        fcntl(fd, F_SETFL, O_APPEND);
        close(fd);
        _exit(c);
    }
    int st;
    waitpid(p, &st, 0);
    say("child read: %c", (char)((st >> 8) & 0xff));
    say("parent offset now: %ld", (long)lseek(fd, 0, SEEK_CUR));
    say("O_APPEND set by child seen: %d", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    SAY("parent's fd still open", fcntl(fd, F_GETFD));

    /* Exit closes the child's descriptors: a pipe's writer goes away. */
    int pfd[2];
    pipe(pfd);
    p = fork();
    if (p == 0) {
        close(pfd[0]);
        write(pfd[1], "hi", 2);
        _exit(0); /* pfd[1] closed by exit */
    }
    close(pfd[1]);
    char buf[8];
    SAY("read data", read(pfd[0], buf, sizeof buf));
    SAY("read EOF after child exit", read(pfd[0], buf, sizeof buf));
    waitpid(p, &st, 0);
    return 0;
}
