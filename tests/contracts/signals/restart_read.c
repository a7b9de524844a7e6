/* A read blocked on an empty pipe and interrupted by a handled signal:
 * with SA_RESTART it resumes (and gets the byte the handler wrote),
 * without it fails with EINTR. */
#include "contract.h"
#include <signal.h>
#include <fcntl.h>
#include <sys/time.h>

static int p[2];
static volatile sig_atomic_t in_read, early;

static void h(int sig)
{
    (void)sig;
    if (!in_read)
        early = 1;
    write(p[1], "x", 1);
}

static void arm(void)
{
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void run(int flags, const char *label)
{
    for (;;) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = h;
        sa.sa_flags = flags;
        sigaction(SIGALRM, &sa, NULL);
        pipe(p);
        early = 0;
        char c = 0;
        arm();
        in_read = 1;
        errno = 0;
        long r = read(p[0], &c, 1);
        int e = errno;
        in_read = 0;
        if (early) { /* the timer beat us to read(): try again */
            close(p[0]);
            close(p[1]);
            continue;
        }
        if (r < 0)
            say("%s: read -1 %s", label, errname(e));
        else
            say("%s: read %ld byte %c", label, r, c);
        /* The handler's byte is still in the pipe after EINTR. */
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        r = read(p[0], &c, 1);
        if (r == 1)
            say("%s: byte left in pipe: %c", label, c);
        else
            say("%s: pipe empty: %s", label, errname(errno));
        close(p[0]);
        close(p[1]);
        return;
    }
}

int main(void)
{
    run(SA_RESTART, "SA_RESTART");
    run(0, "no SA_RESTART");
    return 0;
}
