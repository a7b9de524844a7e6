/* fcntl record locks between processes: write locks exclude, read locks
 * share, disjoint ranges never conflict; F_SETLK fails with EAGAIN. */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    OK("parent W 0..9", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    OK("parent R 20..29", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        SAY("child W 5..14", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 10));
        SAY("child R 9..9", lk(b, F_SETLK, F_RDLCK, SEEK_SET, 9, 1));
        OK("child W 10..19", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
        OK("child R 25..34", lk(b, F_SETLK, F_RDLCK, SEEK_SET, 25, 10));
        SAY("child W 29..29", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 29, 1));
        OK("child W 30..34 (own read lock upgraded)", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 30, 5));
        SAY("child W to EOF from 0", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
        OK("child unlock of a range it never locked", lk(b, F_SETLK, F_UNLCK, SEEK_SET, 100, 10));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child %s", wstatus(st));
    lock_map("after the child exited", "f", 40);
    OK("parent unlocks everything", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    lock_map("after unlock", "f", 40);
    return 0;
}
