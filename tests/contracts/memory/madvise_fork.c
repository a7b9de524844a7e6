/* madvise advice that changes what fork does: MADV_DONTFORK leaves the
 * range out of the child (SIGSEGV there), MADV_DOFORK undoes it;
 * MADV_WIPEONFORK gives the child zero-filled memory in the range (only
 * for private anonymous mappings, EINVAL otherwise), MADV_KEEPONFORK
 * undoes it. The parent's data is never touched. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif

static void child_probe(const char *label, char *p)
{
    pid_t pid = fork();
    if (pid == 0) {
        say("%s: child reads %s", label, probe_read(p));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("%s: parent reads %s", label, probe_read(p));
}

int main(void)
{
    char *a = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    a[0] = 'a';
    a[PG] = 'b';
    s[0] = 's';
    SAY("DONTFORK first page", madvise(a, PG, MADV_DONTFORK));
    child_probe("dontfork page", a);
    child_probe("other page", a + PG);
    SAY("DOFORK", madvise(a, PG, MADV_DOFORK));
    child_probe("after DOFORK", a);
    SAY("WIPEONFORK", madvise(a, 2 * PG, MADV_WIPEONFORK));
    child_probe("wipeonfork", a + PG);
    SAY("KEEPONFORK", madvise(a, 2 * PG, MADV_KEEPONFORK));
    child_probe("after KEEPONFORK", a + PG);
    SAY("WIPEONFORK on shared", madvise(s, PG, MADV_WIPEONFORK));
    SAY("DONTFORK on shared", madvise(s, PG, MADV_DONTFORK));
    child_probe("shared dontfork", s);
    return 0;
}
