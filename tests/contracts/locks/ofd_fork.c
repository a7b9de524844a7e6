/* OFD locks follow the description across fork (unlike POSIX locks),
 * and a blocking F_OFD_SETLKW waits for the description's last close. */
#include "lockutil.h"

static int ofd(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    OK("OFD W 0..9", ofd(a, F_OFD_SETLK, F_WRLCK, 0, 10));
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        OK("child relocks through the shared description", ofd(a, F_OFD_SETLK, F_WRLCK, 0, 10));
        int b = open("f", O_RDWR);
        SAY("child's own description conflicts", ofd(b, F_OFD_SETLK, F_RDLCK, 0, 1));
        close(a);
        write(p[1], "1", 1);
        int r = ofd(b, F_OFD_SETLKW, F_WRLCK, 0, 1);
        write(p[1], r == 0 ? "y" : "n", 1);
        _exit(0);
    }
    char ch;
    read(p[0], &ch, 1);
    wait_sleeping(c);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    SAY("child waiting", read(p[0], &ch, 1));
    close(a); /* the last descriptor of the description */
    fcntl(p[0], F_SETFL, 0);
    read(p[0], &ch, 1);
    say("child got the lock after the last close: %c", ch);
    int st;
    waitpid(c, &st, 0);
    say("child %s", wstatus(st));
    int b = open("f", O_RDWR);
    OK("free once every descriptor is gone", ofd(b, F_OFD_SETLK, F_WRLCK, 0, 0));
    return 0;
}
