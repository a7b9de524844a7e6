/* Anonymous private memory: zero-filled on first touch, readable and
 * writable, page-aligned, and gone after munmap (SIGSEGV, SEGV_MAPERR). */
#include "contract.h"
#include "memprobe.h"

int main(void)
{
    size_t len = 16 * PG;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mapped: %d", p != MAP_FAILED);
    say("page-aligned: %d", ((unsigned long)p & (PG - 1)) == 0);
    int zero = 1;
    for (size_t i = 0; i < len; i++)
        zero &= p[i] == 0;
    say("zero-filled: %d", zero);
    for (size_t i = 0; i < len; i++)
        p[i] = (char)(i * 7);
    int same = 1;
    for (size_t i = 0; i < len; i++)
        same &= p[i] == (char)(i * 7);
    say("stores read back: %d", same);
    /* A length that is not a page multiple maps whole pages. */
    char *q = mmap(0, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("100-byte mapping: %d", q != MAP_FAILED);
    say("last byte of its page: %s", probe_write(q + PG - 1, 1));
    SAY("munmap", munmap(p, len));
    say("after munmap, first page: %s", probe_read(p));
    say("after munmap, last page: %s", probe_write(p + len - 1, 1));
    /* Two mappings never overlap. */
    char *a = mmap(0, 8 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *b = mmap(0, 8 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("disjoint: %d", a + 8 * PG <= b || b + 8 * PG <= a);
    say("read-only store: %s", probe_write(a, 1));
    return 0;
}
