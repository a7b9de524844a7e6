/* Pipe capacity: 16 pages by default. Filling a non-blocking pipe with
 * page-sized writes stops at 65536 bytes; single bytes merge into pages,
 * so they fill it to the same total; F_GETPIPE_SZ and FIONREAD agree. */
#include "contract.h"
#include "../events/events.h"
#include <sys/ioctl.h>

static long fill(int w, size_t chunk)
{
    static char buf[8192];
    long total = 0;
    for (;;) {
        ssize_t n = write(w, buf, chunk);
        if (n < 0) {
            say("  stopped by %s", errname(errno));
            return total;
        }
        total += n;
    }
}

int main(void)
{
    int p[2];
    OK("pipe2", pipe2(p, O_NONBLOCK));
    SAY("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    SAY("F_GETPIPE_SZ on the write end", fcntl(p[1], F_GETPIPE_SZ));
    say("fill with 4096-byte writes: %ld", fill(p[1], 4096));
    int n = -1;
    ioctl(p[0], FIONREAD, &n);
    say("FIONREAD: %d", n);
    say("writer ready: %s", ready(p[1]));
    say("reader ready: %s", ready(p[0]));
    close(p[0]);
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    say("fill with 1-byte writes: %ld", fill(p[1], 1));
    close(p[0]);
    close(p[1]);

    /* 100-byte writes merge only while a whole write fits in the last
     * page: 40 per page, so 16 pages hold 64000 bytes. */
    pipe2(p, O_NONBLOCK);
    say("fill with 100-byte writes: %ld", fill(p[1], 100));
    ioctl(p[1], FIONREAD, &n);
    say("FIONREAD on the write end: %d", n);
    close(p[0]);
    close(p[1]);

    /* A page-sized write needs a free page: after one byte, 15 fit. */
    pipe2(p, O_NONBLOCK);
    write(p[1], "x", 1);
    say("then 4096-byte writes: %ld", fill(p[1], 4096));
    char b[4096];
    SAY("read 1 byte", read(p[0], b, 1));
    SAY("4096-byte write after a 1-byte read", write(p[1], b, 4096));
    SAY("read 4095 bytes (one byte stays in that page)", read(p[0], b, 4095));
    say("writer ready: %s", ready(p[1]));
    SAY("4096-byte write now", write(p[1], b, 4096));
    return 0;
}
