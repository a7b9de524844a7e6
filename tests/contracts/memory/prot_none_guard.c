/* PROT_NONE pages are guard pages: loads and stores give SIGSEGV with
 * si_code SEGV_ACCERR and si_addr the faulting address; the pages around
 * them stay usable; a guard page made by mprotect keeps its data for when
 * access is restored. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *p = mmap(0, 3 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("PROT_NONE mapping: %d", p != MAP_FAILED);
    say("load: %s", probe_read(p + 10));
    say("store: %s", probe_write(p + PG + 20, 1));
    SAY("open middle page", mprotect(p + PG, PG, PROT_READ | PROT_WRITE));
    say("middle store: %s", probe_write(p + PG + 20, 'm'));
    say("lower guard: %s", probe_read(p + PG - 1));
    say("upper guard: %s", probe_write(p + 2 * PG, 1));
    /* Guard page made from a written page. */
    char *q = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(q + PG, "kept");
    SAY("guard second page", mprotect(q + PG, PG, PROT_NONE));
    say("first page still writable: %s", probe_write(q, 1));
    say("guard load: %s", probe_read(q + PG));
    say("guard store: %s", probe_write(q + PG + 1, 1));
    SAY("restore", mprotect(q + PG, PG, PROT_READ));
    say("data kept: %s", q + PG);
    say("read-only now: %s", probe_write(q + PG, 1));
    /* A system call given a guard page fails with EFAULT. */
    SAY("write() from guard page", write(1, p, 1));
    return 0;
}
