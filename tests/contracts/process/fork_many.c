/* Many children at once: all created, all reaped, statuses intact. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    int n = 100, sum = 0, reaped = 0;
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(i % 50);
        if (p < 0) {
            say("fork %d failed: %s", i, errname(errno));
            return 1;
        }
    }
    int st;
    pid_t w;
    while ((w = wait(&st)) > 0) {
        reaped++;
        sum += WEXITSTATUS(st);
    }
    say("reaped %d children, status sum %d, then %s", reaped, sum, errname(errno));
    return 0;
}
