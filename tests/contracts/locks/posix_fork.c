/* Record locks are not inherited across fork: the child does not own the
 * parent's locks, cannot release them, and conflicts with them. */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    pid_t c = fork();
    if (c == 0) {
        say("child sees: %s", getlk(fd, F_GETLK, F_RDLCK, 0, 0, 0));
        SAY("child R on the parent's range", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
        OK("child unlocks 0..9 (its own: nothing)", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 10));
        SAY("child W again", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
        OK("child W 10..19", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
        close(fd);
        _exit(0);
    }
    waitpid(c, 0, 0);
    lock_map("parent's locks after the child closed the shared fd", "f", 20);
    return 0;
}
