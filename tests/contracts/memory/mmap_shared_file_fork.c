/* A MAP_SHARED file mapping inherited across fork is the same memory in
 * both processes and in the file; the child's munmap or exit does not
 * take the parent's pages. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 4 * PG);
    char *s = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    s[0] = 'p';
    pid_t pid = fork();
    if (pid == 0) {
        s[1] = 'c';
        s[3 * PG] = 'C';
        munmap(s, 4 * PG);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    say("parent sees child's stores: %c %c %c", s[0], s[1], s[3 * PG]);
    char r[2];
    pread(fd, r, 2, 0);
    say("file: %c %c", r[0], r[1]);
    s[2] = 'q';
    pread(fd, r, 1, 2);
    say("parent store after child exit: %c", r[0]);
    close(fd);
    pid = fork();
    if (pid == 0) {
        _exit(s[2] == 'q' ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    say("second child (descriptor closed) sees it: %s", wstatus(st));
    return 0;
}
