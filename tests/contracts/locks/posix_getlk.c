/* F_GETLK reports a conflicting lock (type, range from SEEK_SET, pid),
 * or F_UNLCK; the caller's own locks never conflict. */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        lk(b, F_SETLK, F_WRLCK, SEEK_SET, 10, 5);
        lk(b, F_SETLK, F_RDLCK, SEEK_SET, 100, 0);
        write(p[1], "x", 1);
        char ch;
        read(q[0], &ch, 1);
        _exit(0);
    }
    char ch;
    read(p[0], &ch, 1);
    say("W 0..9: %s", getlk(fd, F_GETLK, F_WRLCK, 0, 10, c));
    say("W 0..10: %s", getlk(fd, F_GETLK, F_WRLCK, 0, 11, c));
    say("R 12..12: %s", getlk(fd, F_GETLK, F_RDLCK, 12, 1, c));
    say("R 200..: %s", getlk(fd, F_GETLK, F_RDLCK, 200, 0, c));
    say("W 200..: %s", getlk(fd, F_GETLK, F_WRLCK, 200, 0, c));
    say("F_UNLCK query: %s", getlk(fd, F_GETLK, F_UNLCK, 0, 0, c));
    say("type 7 query: %s", getlk(fd, F_GETLK, 7, 0, 0, c));
    OK("own W 50..59", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, 10));
    say("own lock is not reported: %s", getlk(fd, F_GETLK, F_WRLCK, 50, 10, c));
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 0, .l_len = 0 };
    lseek(fd, 120, SEEK_SET);
    fcntl(fd, F_GETLK, &fl);
    say("SEEK_CUR query at 120: type=%s whence=%d start=%ld len=%ld", fl.l_type == F_RDLCK ? "R" : "?", fl.l_whence,
        (long)fl.l_start, (long)fl.l_len);
    SAY("F_GETLK with a bad pointer", fcntl(fd, F_GETLK, (void *)16));
    write(q[1], "x", 1);
    waitpid(c, 0, 0);
    say("after the child exited: %s", getlk(fd, F_GETLK, F_WRLCK, 0, 0, c));
    return 0;
}
