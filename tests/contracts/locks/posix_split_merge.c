/* A process's own record locks split when part of a range is unlocked or
 * relocked with the other type, and merge with adjacent ones. */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 30);
    lock_map("W 0..29", "f", 40);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 10, 5);
    lock_map("unlock 10..14", "f", 40);
    lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 3);
    lock_map("R 20..22", "f", 40);
    lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 23, 10);
    lock_map("R 23..32 (adjacent read)", "f", 40);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 8, 5);
    lock_map("W 8..12", "f", 40);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 13, 2);
    lock_map("W 13..14 fills the hole", "f", 40);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 36, 0);
    lock_map("W 36.. to EOF", "f", 40);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 30);
    lock_map("unlock 5..34", "f", 40);
    lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 0);
    lock_map("R 0.. replaces everything", "f", 40);
    return 0;
}
