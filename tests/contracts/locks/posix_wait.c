/* F_SETLKW waits for a conflicting lock to go away: unlock, a downgrade
 * to a read lock (for a reader), or the holder's exit. */
#include "lockutil.h"

static pid_t waiter(int p, short type)
{
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        int r = lk(b, F_SETLKW, type, SEEK_SET, 0, 10);
        write(p, r == 0 ? "y" : "n", 1);
        _exit(0);
    }
    return c;
}

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    int p[2];
    pipe(p);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char ch;
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1);
    pid_t c = waiter(p[1], F_WRLCK);
    wait_sleeping(c);
    SAY("writer still waiting", read(p[0], &ch, 1));
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 1);
    waitpid(c, 0, 0);
    SAY("writer got it after unlock", read(p[0], &ch, 1));
    say("result %c", ch);

    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
    c = waiter(p[1], F_RDLCK);
    wait_sleeping(c);
    SAY("reader waiting", read(p[0], &ch, 1));
    lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 0);
    waitpid(c, 0, 0);
    SAY("reader got it after the downgrade", read(p[0], &ch, 1));
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

    int q[2];
    pipe(q);
    pid_t holder = fork();
    if (holder == 0) {
        int b = open("f", O_RDWR);
        lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
        write(q[1], "h", 1);
        for (;;)
            pause(); /* until killed */
        _exit(0);
    }
    read(q[0], &ch, 1);
    c = waiter(p[1], F_WRLCK);
    wait_sleeping(c);
    SAY("waiting on a process", read(p[0], &ch, 1));
    kill(holder, SIGKILL);
    waitpid(holder, 0, 0);
    waitpid(c, 0, 0);
    SAY("got it when the holder died", read(p[0], &ch, 1));
    return 0;
}
