/* eventfd limits: the count never reaches 2^64-1; writing that value is
 * EINVAL; a write that would pass 0xfffffffffffffffe blocks (EAGAIN when
 * non-blocking) until a read makes room. Reads and writes need at least
 * 8 bytes (EINVAL) and move exactly 8. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    int e = eventfd(0, EFD_NONBLOCK);
    uint64_t v = UINT64_MAX;
    SAY("write 2^64-1", write(e, &v, 8));
    v = UINT64_MAX - 1;
    SAY("write 2^64-2", write(e, &v, 8));
    say("at the maximum: %s", ready(e));
    v = 1;
    SAY("write 1 more", write(e, &v, 8));
    v = 0;
    SAY("write 0 at the maximum", write(e, &v, 8));
    char small[7];
    SAY("read 7 bytes", read(e, small, 7));
    SAY("write 7 bytes", write(e, small, 7));
    char big[16];
    memset(big, 0, sizeof big);
    big[0] = 1;
    SAY("read 16 bytes", read(e, big, 16));
    say("  value %#llx", (unsigned long long)*(uint64_t *)big);
    say("empty: %s", ready(e));
    memset(big, 0, sizeof big);
    big[0] = 9;
    big[8] = 1;
    SAY("write 16 bytes", write(e, big, 16));
    SAY("read", read(e, &v, 8));
    say("  value %llu", (unsigned long long)v);
    v = 5;
    write(e, &v, 8);
    SAY("read into a bad address", read(e, (void *)8, 8));
    SAY("write from a bad address", write(e, (void *)8, 8));

    /* A blocking writer waits for room. */
    int b = eventfd(0, 0);
    v = UINT64_MAX - 1;
    write(b, &v, 8);
    pid_t c = fork();
    if (c == 0) {
        uint64_t one = 1;
        ssize_t n = write(b, &one, 8); /* blocks until the parent reads */
        _exit(n == 8 ? 0 : 1);
    }
    sleep_ms(50);
    read(b, &v, 8);
    say("parent read %#llx", (unsigned long long)v);
    int st;
    waitpid(c, &st, 0);
    say("writer: %s", wstatus(st));
    read(b, &v, 8);
    say("then read %llu", (unsigned long long)v);
    return 0;
}
