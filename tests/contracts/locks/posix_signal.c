/* A signal interrupts F_SETLKW (EINTR without SA_RESTART; restarted
 * with it); the interrupted request leaves no lock behind. */
#include "lockutil.h"

static void on_usr1(int s) { (void)s; }

static void run(int restart)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0 };
        sigaction(SIGUSR1, &sa, 0);
        int b = open("f", O_RDWR);
        write(p[1], "r", 1);
        int r = lk(b, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
        char msg[64];
        snprintf(msg, sizeof msg, "%s", r == 0 ? "0" : errname(errno));
        write(p[1], msg, strlen(msg) + 1);
        char ch;
        read(q[0], &ch, 1);
        _exit(0);
    }
    char buf[64];
    read(p[0], buf, 1);
    wait_sleeping(c);
    kill(c, SIGUSR1);
    if (restart) {
        wait_sleeping(c);
        lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    }
    read(p[0], buf, sizeof buf);
    say("%s: F_SETLKW returned %s", restart ? "SA_RESTART" : "no SA_RESTART", buf);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    say("child holds: %s", getlk(fd, F_GETLK, F_WRLCK, 0, 0, c));
    write(q[1], "x", 1);
    waitpid(c, 0, 0);
    close(fd);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

int main(void)
{
    run(0);
    run(1);
    return 0;
}
