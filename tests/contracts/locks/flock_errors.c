/* flock argument errors, in Linux's order (operation before descriptor). */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    int path = open("f", O_PATH);
    SAY("bad fd", flock(-1, LOCK_SH));
    SAY("closed fd", flock(99, LOCK_EX));
    SAY("operation 0", flock(fd, 0));
    SAY("LOCK_SH|LOCK_EX", flock(fd, LOCK_SH | LOCK_EX));
    SAY("LOCK_NB alone", flock(fd, LOCK_NB));
    SAY("unknown bit 64", flock(fd, LOCK_SH | 64));
    SAY("bad operation on a bad fd", flock(-1, 0));
    SAY("LOCK_MAND (ignored)", flock(fd, 32));
    SAY("O_PATH fd", flock(path, LOCK_SH));
    int p[2];
    pipe(p);
    SAY("pipe LOCK_EX", flock(p[0], LOCK_EX));
    SAY("pipe other end LOCK_EX|LOCK_NB", flock(p[1], LOCK_EX | LOCK_NB));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    SAY("directory LOCK_EX", flock(d, LOCK_EX));
    return 0;
}
