/* After fork, unmapping or remapping in one process leaves the other's
 * copy-on-write pages alone: the child unmaps, replaces with MAP_FIXED and
 * DONTNEEDs ranges the parent keeps using. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 12 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (int i = 0; i < 12; i++)
        p[i * PG] = 'a' + i;
    pid_t pid = fork();
    if (pid == 0) {
        munmap(p, 4 * PG);
        mmap(p + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        madvise(p + 8 * PG, 4 * PG, MADV_DONTNEED);
        say("child: unmapped %s, replaced %s, dropped %s", probe_read(p), "", "");
        say("child: replaced reads %s", probe_read(p + 5 * PG));
        say("child: dropped reads %s", probe_read(p + 9 * PG));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    char got[13] = {0};
    for (int i = 0; i < 12; i++)
        got[i] = p[i * PG];
    say("parent's pages: %s", got);
    for (int i = 0; i < 12; i++)
        p[i * PG] = 'A' + i;
    for (int i = 0; i < 12; i++)
        got[i] = p[i * PG];
    say("parent writes after: %s", got);
    return 0;
}
