/* The descriptor's mode must allow the lock: EBADF otherwise. */
#include "lockutil.h"

int main(void)
{
    int rw = open("f", O_CREAT | O_RDWR, 0644);
    int ro = open("f", O_RDONLY);
    int wo = open("f", O_WRONLY);
    int path = open("f", O_PATH);
    SAY("read-only W", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    SAY("read-only R", lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    SAY("write-only R", lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    SAY("write-only W", lk(wo, F_SETLK, F_WRLCK, SEEK_SET, 2, 1));
    SAY("read-only unlock", lk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    SAY("read-only F_GETLK W", lk(ro, F_GETLK, F_WRLCK, SEEK_SET, 0, 1));
    SAY("O_PATH F_SETLK", lk(path, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    SAY("O_PATH F_GETLK", lk(path, F_GETLK, F_RDLCK, SEEK_SET, 0, 1));
    SAY("bad fd", lk(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    SAY("bad range before type check", lk(ro, F_SETLK, F_WRLCK, 9, 0, 1));
    SAY("bad type before mode check", lk(ro, F_SETLK, 9, SEEK_SET, 0, 1));
    SAY("rw W", lk(rw, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    return 0;
}
