/* Writing to a pipe with no reader: SIGPIPE (default: death), or EPIPE
 * when SIGPIPE is ignored, blocked or caught. A zero-length write never
 * raises it. A writer blocked on a full pipe gets EPIPE when the reader
 * goes (after the bytes it already wrote, if any). */
#include "contract.h"
#include "../events/events.h"
#include <sys/ioctl.h>

static volatile int caught;
static void on_pipe(int sig) { caught = sig; }

int main(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    pid_t c = fork();
    if (c == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("default disposition: %s", wstatus(st));

    SAY("zero-length write", write(p[1], "", 0));

    signal(SIGPIPE, SIG_IGN);
    SAY("ignored: write", write(p[1], "x", 1));

    signal(SIGPIPE, on_pipe);
    SAY("caught: write", write(p[1], "x", 1));
    say("handler saw: %d", caught);

    signal(SIGPIPE, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    sigprocmask(SIG_BLOCK, &s, 0);
    SAY("blocked: write", write(p[1], "x", 1));
    sigset_t pend;
    sigpending(&pend);
    say("SIGPIPE pending: %d", sigismember(&pend, SIGPIPE));
    signal(SIGPIPE, SIG_IGN); /* discards it */
    sigprocmask(SIG_UNBLOCK, &s, 0);
    close(p[1]);

    /* A writer blocked on a full pipe. */
    pipe(p);
    c = fork();
    if (c == 0) {
        close(p[0]);
        static char big[100000];
        ssize_t n = write(p[1], big, sizeof big);
        /* The reader took nothing: 65536 went in before it blocked. */
        printf("blocked writer: %zd %s\n", n, n < 0 ? errname(errno) : "");
        n = write(p[1], big, 10);
        printf("next write: %zd %s\n", n, n < 0 ? errname(errno) : "");
        _exit(0);
    }
    close(p[1]);
    /* Once the pipe is full the writer has written all it can. */
    int queued = 0;
    while (queued < 65536) {
        sleep_ms(5);
        ioctl(p[0], FIONREAD, &queued);
    }
    close(p[0]);
    waitpid(c, &st, 0);
    say("writer: %s", wstatus(st));

    /* The reader goes while the writer is blocked with a partial count:
     * the write returns that count, and SIGPIPE is raised all the same. */
    pipe(p);
    c = fork();
    if (c == 0) {
        close(p[0]);
        caught = 0;
        signal(SIGPIPE, on_pipe);
        static char big[100000];
        ssize_t n = write(p[1], big, sizeof big);
        printf("partial write: %zd, SIGPIPE caught: %d\n", n, caught);
        _exit(0);
    }
    close(p[1]);
    queued = 0;
    while (queued < 65536) {
        sleep_ms(5);
        ioctl(p[0], FIONREAD, &queued);
    }
    close(p[0]);
    waitpid(c, &st, 0);
    say("writer: %s", wstatus(st));
    return 0;
}
