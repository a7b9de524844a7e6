/* How l_whence, l_start and l_len name a range (negative lengths,
 * SEEK_CUR, SEEK_END, 0 = to end of file) and the range errors. */
#include "lockutil.h"
#include <stdint.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    write(fd, "0123456789", 10);
    OK("W start 20 len -5 (15..19)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, -5));
    lock_map("negative length", "f", 30);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    lseek(fd, 4, SEEK_SET);
    OK("W SEEK_CUR+2 len 3", lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 2, 3));
    OK("R SEEK_END-2 len 0", lk(fd, F_SETLK, F_RDLCK, SEEK_END, -2, 0));
    lock_map("SEEK_CUR and SEEK_END", "f", 30);
    OK("unlock SEEK_END-1 len -3 (6..8)", lk(fd, F_SETLK, F_UNLCK, SEEK_END, -1, -3));
    lock_map("after unlocking 6..8", "f", 30);
    SAY("start before 0", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
    SAY("negative length past 0", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -3));
    SAY("SEEK_END before 0", lk(fd, F_SETLK, F_WRLCK, SEEK_END, -11, 1));
    SAY("l_whence 3", lk(fd, F_SETLK, F_WRLCK, 3, 0, 1));
    SAY("l_whence -1", lk(fd, F_SETLK, F_WRLCK, -1, 0, 1));
    SAY("l_type 5", lk(fd, F_SETLK, 5, SEEK_SET, 0, 1));
    SAY("range overflows", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, INT64_MAX, 2));
    SAY("start overflows from SEEK_END", lk(fd, F_SETLK, F_WRLCK, SEEK_END, INT64_MAX, 1));
    OK("one byte at the largest offset", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, INT64_MAX, 1));
    OK("len 0 from the largest offset", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, INT64_MAX, 0));
    SAY("bad pointer", fcntl(fd, F_SETLK, (void *)16));
    return 0;
}
