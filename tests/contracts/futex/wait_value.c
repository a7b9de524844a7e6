/* FUTEX_WAIT sleeps only while the word holds the expected value: a
 * different value gives EAGAIN at once, for private and shared futexes,
 * for the BITSET form, and for a word in read-only memory (the kernel
 * only reads it); a matching value sleeps until the timeout. */
#include "contract.h"
#include "futex_test.h"

int main(void)
{
    static uint32_t w = 5;
    SAY("private wait, value differs", futex_t(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    SAY("shared wait, value differs", futex_t(&w, FUTEX_WAIT, 4, NULL, NULL, 0));
    SAY("wait_bitset, value differs", futex_t(&w, FUTEX_WAIT_BITSET_PRIVATE, 6, NULL, NULL, 1));
    SAY("word untouched", w);

    uint32_t *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *ro = 3;
    OK("mprotect read-only", mprotect(ro, 4096, PROT_READ));
    SAY("read-only word, value differs", futex_t(ro, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    struct timespec ts = {0, 2000000};
    SAY("read-only word, value matches, 2 ms timeout", futex_t(ro, FUTEX_WAIT_PRIVATE, 3, &ts, NULL, 0));
    SAY("shared wait on read-only word, 2 ms timeout", futex_t(ro, FUTEX_WAIT, 3, &ts, NULL, 0));

    /* A word never touched before (demand-zero page) reads as 0. */
    uint32_t *fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("fresh page, expecting 1", futex_t(fresh + 7, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
    SAY("fresh page, expecting 0, 2 ms", futex_t(fresh + 7, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0));
    return 0;
}
