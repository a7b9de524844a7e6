/* OFD locks and classic POSIX locks conflict with each other, even in
 * one process; closing another descriptor drops POSIX locks only. */
#include "lockutil.h"

static int ofd(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDWR);
    OK("POSIX W 0..9 via a", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    SAY("OFD W 5 via b", ofd(b, F_OFD_SETLK, F_WRLCK, 5, 1));
    SAY("OFD W 5 via a (description vs process)", ofd(a, F_OFD_SETLK, F_WRLCK, 5, 1));
    say("F_OFD_GETLK via b: %s", getlk(b, F_OFD_GETLK, F_WRLCK, 0, 0, 0));
    OK("OFD R 20..29 via b", ofd(b, F_OFD_SETLK, F_RDLCK, 20, 10));
    SAY("POSIX W 25 via a", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 25, 1));
    OK("POSIX R 25 via a", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 25, 1));
    say("F_GETLK via a at 20: %s", getlk(a, F_GETLK, F_WRLCK, 20, 1, 0));
    int c = open("f", O_RDONLY);
    close(c);
    OK("POSIX locks gone after a close: OFD W 0..9 via b", ofd(b, F_OFD_SETLK, F_WRLCK, 0, 10));
    SAY("OFD locks stay: POSIX W 20 via a", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 20, 1));
    return 0;
}
