/* PROT_GROWSDOWN: on a MAP_GROWSDOWN mapping, mprotect extends the change
 * down to the start of the mapping; on an ordinary one it is EINVAL.
 * Growth of the stack keeps the mapping's current rights. */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    char *top = PLAYGROUND + 1024 * PG;
    char *s = mmap(top - 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
    say("stack mapped: %d", s == top - 4 * PG);
    say("grow by two pages: %s", probe_write(s - 2 * PG, 1));
    SAY("PROT_READ|PROT_GROWSDOWN from the top page", mprotect(top - PG, PG, PROT_READ | PROT_GROWSDOWN));
    say("lowest page now read-only: %s", probe_write(s - 2 * PG, 2));
    say("original bottom page read-only: %s", probe_write(s, 2));
    say("top page read-only: %s", probe_write(top - 1, 2));
    say("grows further, read-only: %s", probe_read(s - 3 * PG));
    say("store there: %s", probe_write(s - 3 * PG, 3));
    char *o = map_at(PLAYGROUND, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("PROT_GROWSDOWN on an ordinary mapping", mprotect(o + PG, PG, PROT_READ | PROT_GROWSDOWN));
    SAY("PROT_GROWSDOWN|PROT_GROWSUP", mprotect(o, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
    SAY("PROT_GROWSDOWN with nothing mapped", mprotect(PLAYGROUND + 16 * PG, PG, PROT_READ | PROT_GROWSDOWN));
    SAY("PROT_GROWSUP with nothing mapped", mprotect(PLAYGROUND + 16 * PG, PG, PROT_READ | PROT_GROWSUP));
    return 0;
}
