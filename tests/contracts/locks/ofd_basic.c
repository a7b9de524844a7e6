/* Open-file-description locks: owned by the description, so two opens in
 * one process conflict; l_pid must be 0 and is reported as -1. */
#include "lockutil.h"

static int ofd(int fd, int cmd, short type, off_t start, off_t len, pid_t pid)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len, .l_pid = pid };
    return fcntl(fd, cmd, &fl);
}

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDWR);
    OK("a OFD W 0..9", ofd(a, F_OFD_SETLK, F_WRLCK, 0, 10, 0));
    SAY("b OFD W 5..5 (same process, other description)", ofd(b, F_OFD_SETLK, F_WRLCK, 5, 1, 0));
    SAY("b OFD R 9..9", ofd(b, F_OFD_SETLK, F_RDLCK, 9, 1, 0));
    OK("b OFD W 10..19", ofd(b, F_OFD_SETLK, F_WRLCK, 10, 10, 0));
    say("b F_OFD_GETLK 0..: %s", getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0, 0));
    say("a F_OFD_GETLK 0..9 (own): %s", getlk(a, F_OFD_GETLK, F_WRLCK, 0, 10, 0));
    say("a F_GETLK (classic view) 0..: %s", getlk(a, F_GETLK, F_WRLCK, 0, 0, 0));
    SAY("F_OFD_SETLK with l_pid 1", ofd(a, F_OFD_SETLK, F_WRLCK, 30, 1, 1));
    SAY("F_OFD_SETLKW with l_pid -1", ofd(a, F_OFD_SETLKW, F_WRLCK, 30, 1, -1));
    SAY("F_OFD_GETLK with l_pid 1", ofd(a, F_OFD_GETLK, F_WRLCK, 30, 1, 1));
    SAY("F_OFD_GETLK F_UNLCK", ofd(a, F_OFD_GETLK, F_UNLCK, 30, 1, 0));
    say("a F_OFD_GETLK F_UNLCK on its own lock: %s", getlk(a, F_OFD_GETLK, F_UNLCK, 5, 1, 0));
    say("b F_OFD_GETLK F_UNLCK on a's lock: %s", getlk(b, F_OFD_GETLK, F_UNLCK, 5, 1, 0));
    say("a F_OFD_GETLK F_UNLCK where nothing is: %s", getlk(a, F_OFD_GETLK, F_UNLCK, 50, 1, 0));
    SAY("F_SETLK ignores l_pid", ofd(a, F_SETLK, F_WRLCK, 40, 1, 12345));
    int d = dup(a);
    OK("dup shares the OFD lock: W 0..9 through it", ofd(d, F_OFD_SETLK, F_WRLCK, 0, 10, 0));
    close(d);
    SAY("closing a dup keeps it: b W 0", ofd(b, F_OFD_SETLK, F_WRLCK, 0, 1, 0));
    OK("a OFD unlock 0..4", ofd(a, F_OFD_SETLK, F_UNLCK, 0, 5, 0));
    OK("b OFD W 0..4 now", ofd(b, F_OFD_SETLK, F_WRLCK, 0, 5, 0));
    close(a);
    OK("last close of a released 5..9", ofd(b, F_OFD_SETLK, F_WRLCK, 5, 5, 0));
    return 0;
}
