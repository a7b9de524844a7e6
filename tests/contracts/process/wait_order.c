/* Children exiting in a known order are reaped by waitpid(-1) in that
 * order when each exits only after the previous was reaped. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    int pipes[5][2];
    pid_t kids[5];
    for (int i = 0; i < 5; i++) {
        pipe(pipes[i]);
        kids[i] = fork();
        if (kids[i] == 0) {
            char c;
            read(pipes[i][0], &c, 1);
            _exit(10 + i);
        }
    }
    int order[5] = {3, 0, 4, 1, 2};
    for (int k = 0; k < 5; k++) {
        int i = order[k];
        write(pipes[i][1], "x", 1);
        int st;
        pid_t w = waitpid(-1, &st, 0);
        say("reaped child %d: %d, %s", i, w == kids[i], wstatus(st));
    }
    return 0;
}
