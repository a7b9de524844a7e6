/* getrusage and times report real figures: CPU time after a busy loop,
 * children's time after they are reaped, page faults counted. */
#include "contract.h"
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>

static volatile unsigned long sink;

static void burn(void)
{
    struct rusage r;
    do {
        for (int i = 0; i < 1000000; i++)
            sink += i;
        getrusage(RUSAGE_SELF, &r);
    } while (r.ru_utime.tv_sec == 0 && r.ru_utime.tv_usec < 20000);
}

int main(void)
{
    struct rusage r;
    SAY("getrusage bad who", getrusage(7, &r));
    burn();
    getrusage(RUSAGE_SELF, &r);
    say("self user time >= 20ms: %d", r.ru_utime.tv_sec > 0 || r.ru_utime.tv_usec >= 20000);
    say("self max rss > 0: %d", r.ru_maxrss > 0);
    say("self minor faults > 0: %d", r.ru_minflt > 0);
    getrusage(RUSAGE_CHILDREN, &r);
    say("children time before any child: %d", r.ru_utime.tv_sec == 0 && r.ru_utime.tv_usec == 0);
    pid_t p = fork();
    if (p == 0) {
        burn();
        _exit(0);
    }
    int st;
    struct rusage child;
    wait4(p, &st, 0, &child);
    say("wait4 rusage user >= 20ms: %d", child.ru_utime.tv_sec > 0 || child.ru_utime.tv_usec >= 20000);
    getrusage(RUSAGE_CHILDREN, &r);
    say("children user >= 20ms: %d", r.ru_utime.tv_sec > 0 || r.ru_utime.tv_usec >= 20000);
    struct tms t;
    clock_t now = times(&t);
    say("times returns a count: %d", now != (clock_t)-1);
    say("tms_utime > 0: %d", t.tms_utime > 0);
    say("tms_cutime > 0: %d", t.tms_cutime > 0);
    say("sysconf(_SC_CLK_TCK): %ld", sysconf(_SC_CLK_TCK));
    return 0;
}
