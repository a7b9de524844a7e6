/* A read blocked on an empty pipe and a write blocked on a full one are
 * interrupted by a caught signal: EINTR without SA_RESTART, restarted
 * (and completed) with it. A write that already moved bytes returns the
 * partial count. */
#include "contract.h"
#include "../events/events.h"

static void on_alarm(int sig) { (void)sig; }

static void arm(int restart)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, 0);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, 0);
}

int main(void)
{
    int p[2];
    pipe(p);
    char b[16];
    arm(0);
    SAY("read without SA_RESTART", read(p[0], b, sizeof b));

    pid_t c = fork();
    if (c == 0) {
        sleep_ms(200);
        write(p[1], "late", 4);
        _exit(0);
    }
    arm(1);
    SAY("read with SA_RESTART (completes later)", read(p[0], b, sizeof b));
    waitpid(c, 0, 0);

    static char big[70000];
    arm(0);
    SAY("write of 70000 interrupted after 65536", write(p[1], big, sizeof big));
    arm(0);
    SAY("write into a full pipe, interrupted", write(p[1], big, 10));
    return 0;
}
