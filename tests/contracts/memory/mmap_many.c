/* Thousands of separate mappings (every other page, so none can merge):
 * each keeps its own data, one munmap over the whole span removes them
 * all, and the address space is reusable afterwards. */
#include "contract.h"
#include "memprobe.h"

#define N 4000

int main(void)
{
    int failed = 0;
    for (int i = 0; i < N; i++) {
        char *p = mmap(PLAYGROUND + 2 * i * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED) {
            failed++;
            continue;
        }
        *(int *)p = i;
    }
    say("mappings failed: %d", failed);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        wrong += *(int *)(PLAYGROUND + 2 * i * PG) != i;
    say("wrong data: %d", wrong);
    say("gap page: %s", probe_read(PLAYGROUND + PG));
    SAY("munmap all", munmap(PLAYGROUND, 2 * N * PG));
    say("first: %s", probe_read(PLAYGROUND));
    say("last: %s", probe_read(PLAYGROUND + 2 * (N - 1) * PG));
    char *big = map_at(PLAYGROUND, 2 * N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    say("one mapping over the span: %d", big == PLAYGROUND);
    say("reads zero: %s", probe_read(big + 2 * 17 * PG));
    return 0;
}
