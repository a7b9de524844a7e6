/* A child's heap is a copy-on-write copy: its brk moves and stores do not
 * affect the parent's. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>
#include <sys/wait.h>

static char *raw_brk(void *p) { return (char *)syscall(SYS_brk, p); }

int main(void)
{
    char *b0 = raw_brk(0);
    char *top = raw_brk(b0 + 16 * PG);
    memset(b0, 'p', top - b0);
    pid_t pid = fork();
    if (pid == 0) {
        say("child sees parent's heap: %d", b0[100] == 'p');
        memset(b0, 'c', top - b0);
        char *t2 = raw_brk(top + 16 * PG);
        say("child grows its heap: %d", t2 == top + 16 * PG);
        memset(top, 'c', 16 * PG);
        raw_brk(b0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    say("parent heap unchanged: %d", b0[100] == 'p' && top[-1] == 'p');
    say("parent break unchanged: %d", raw_brk(0) == top);
    say("above parent break: %s", probe_read(top + PG));
    return 0;
}
