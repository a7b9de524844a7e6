/* EFD_SEMAPHORE: each read takes 1 and returns 1 while the count is
 * non-zero; then EAGAIN (non-blocking). Writes still add. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/eventfd.h>

int main(void)
{
    int e = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    uint64_t v;
    for (int i = 0; i < 4; i++) {
        v = 99;
        errno = 0;
        ssize_t n = read(e, &v, 8);
        say("read %d: %zd %s value %llu", i, n, n < 0 ? errname(errno) : "", (unsigned long long)v);
    }
    v = 2;
    write(e, &v, 8);
    say("after write 2: %s", ready(e));
    read(e, &v, 8);
    say("one read: %llu, %s", (unsigned long long)v, ready(e));
    read(e, &v, 8);
    say("two reads: %s", ready(e));
    /* A blocked reader is woken by a write from a child. */
    int b = eventfd(0, EFD_SEMAPHORE);
    if (fork() == 0) {
        sleep_ms(30);
        uint64_t five = 5;
        write(b, &five, 8);
        _exit(0);
    }
    SAY("blocking read", read(b, &v, 8));
    say("  value %llu", (unsigned long long)v);
    wait(0);
    int left = 0;
    fcntl(b, F_SETFL, O_NONBLOCK);
    while (read(b, &v, 8) == 8)
        left++;
    say("then %d more", left);
    return 0;
}
