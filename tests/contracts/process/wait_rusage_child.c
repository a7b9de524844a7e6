/* wait4 fills rusage for the reaped child only; WNOHANG with nothing
 * leaves it untouched; RUSAGE_CHILDREN accumulates grandchildren reaped by
 * children. */
#include "contract.h"
#include <sys/resource.h>
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
    pid_t p = fork();
    if (p == 0) {
        pid_t g = fork();
        if (g == 0) {
            burn();
            _exit(0);
        }
        waitpid(g, 0, 0);
        _exit(0);
    }
    struct rusage ru;
    memset(&ru, 0x5a, sizeof ru);
    int st;
    pid_t w;
    while ((w = wait4(p, &st, WNOHANG, &ru)) == 0)
        usleep(10000);
    say("reaped child: %d", w == p);
    struct rusage kids;
    getrusage(RUSAGE_CHILDREN, &kids);
    say("children's time includes the grandchild: %d", kids.ru_utime.tv_sec > 0 || kids.ru_utime.tv_usec >= 20000);
    return 0;
}
