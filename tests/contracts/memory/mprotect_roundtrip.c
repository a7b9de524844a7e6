/* mprotect round trips keep the data: RW -> R (stores fault with
 * SEGV_ACCERR) -> RW (stores work again) -> NONE -> RW; a change of part
 * of a mapping affects only those pages; after fork, the child's rights
 * are the parent's. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

int main(void)
{
    char *p = map_at(PLAYGROUND, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    strcpy(p, "data");
    strcpy(p + 3 * PG, "tail");
    SAY("to read-only", mprotect(p, 4 * PG, PROT_READ));
    say("read: %s", p);
    say("store: %s", probe_write(p, 'x'));
    say("store last page: %s", probe_write(p + 3 * PG, 'x'));
    SAY("back to read-write", mprotect(p, 4 * PG, PROT_READ | PROT_WRITE));
    say("store: %s", probe_write(p + 1, 'A'));
    say("data: %s", p);
    SAY("middle two pages PROT_NONE", mprotect(p + PG, 2 * PG, PROT_NONE));
    say("page 0 store: %s", probe_write(p + 5, 'q'));
    say("page 1 load: %s", probe_read(p + PG));
    say("page 2 load: %s", probe_read(p + 2 * PG));
    say("page 3 store: %s", probe_write(p + 3 * PG + 5, 'q'));
    SAY("all read-write", mprotect(p, 4 * PG, PROT_READ | PROT_WRITE));
    say("page 1 store: %s", probe_write(p + PG, 'm'));
    say("tail: %s", p + 3 * PG);
    SAY("write-only", mprotect(p, PG, PROT_WRITE));
    say("write-only page load (x86 implies read): %s", probe_read(p));
    SAY("length 0", mprotect(p, 0, PROT_READ));
    SAY("unaligned", mprotect(p + 1, PG, PROT_READ));
    SAY("unknown prot bit", mprotect(p, PG, 0x10 | PROT_READ));
    SAY("PROT_GROWSDOWN on a normal mapping", mprotect(p, PG, PROT_READ | PROT_GROWSDOWN));
    SAY("PROT_GROWSUP", mprotect(p, PG, PROT_READ | PROT_GROWSUP));
    SAY("PROT_SEM", mprotect(p, PG, PROT_READ | PROT_WRITE | 0x8 /* PROT_SEM */));
    /* Fork keeps the rights. */
    mprotect(p + PG, PG, PROT_READ);
    pid_t pid = fork();
    if (pid == 0) {
        const char *r1 = probe_write(p, 'c');
        say("child page 0 store: %s", r1);
        say("child page 1 store: %s", probe_write(p + PG, 'c'));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("parent page 0 unchanged by child: %d", p[0] != 'c');
    return 0;
}
