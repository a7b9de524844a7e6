/* Splitting one mapping into many: mprotect every other page of a
 * 512-page mapping (512 pieces), check each page's rights and data, then
 * restore the whole range in one call and unmap every third page. */
#include "contract.h"
#include "memprobe.h"

#define N 512

int main(void)
{
    char *p = map_at(PLAYGROUND, N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (int i = 0; i < N; i++)
        p[i * PG] = (char)i;
    int errs = 0;
    for (int i = 0; i < N; i += 2)
        errs += mprotect(p + i * PG, PG, PROT_READ) != 0;
    say("mprotect calls failed: %d", errs);
    int wrong = 0;
    for (int i = 0; i < N; i++) {
        const char *r = probe_write(p + i * PG + 1, 1);
        int faulted = strcmp(r, "ok") != 0;
        wrong += faulted != (i % 2 == 0);
        wrong += p[i * PG] != (char)i;
    }
    say("pages with wrong rights or data: %d", wrong);
    SAY("restore all in one call", mprotect(p, N * PG, PROT_READ | PROT_WRITE));
    errs = 0;
    for (int i = 0; i < N; i += 3)
        errs += munmap(p + i * PG, PG) != 0;
    say("munmap calls failed: %d", errs);
    wrong = 0;
    for (int i = 0; i < N; i++) {
        const char *r = probe_write(p + i * PG + 2, 2);
        int faulted = strcmp(r, "ok") != 0;
        wrong += faulted != (i % 3 == 0);
        if (!faulted)
            wrong += p[i * PG] != (char)i;
    }
    say("pages wrong after munmaps: %d", wrong);
    SAY("mprotect across the holes", mprotect(p, N * PG, PROT_READ));
    SAY("munmap everything", munmap(p, N * PG));
    say("first page: %s", probe_read(p + PG));
    return 0;
}
