/* poll and select on both ends of a pipe through its life: empty, with
 * data, full, drained, reader gone, writer gone. */
#include "contract.h"
#include "../events/events.h"
#include <sys/select.h>

static void sel(const char *label, int r, int w)
{
    fd_set rs, ws;
    FD_ZERO(&rs);
    FD_ZERO(&ws);
    FD_SET(r, &rs);
    FD_SET(w, &ws);
    struct timeval tv = {0, 0};
    int n = select((r > w ? r : w) + 1, &rs, &ws, 0, &tv);
    say("%s: select %d, readable %d, writable %d", label, n, FD_ISSET(r, &rs) != 0, FD_ISSET(w, &ws) != 0);
}

int main(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    say("empty: r %s, w %s", ready(p[0]), ready(p[1]));
    sel("empty", p[0], p[1]);
    write(p[1], "x", 1);
    say("one byte: r %s, w %s", ready(p[0]), ready(p[1]));
    sel("one byte", p[0], p[1]);
    static char buf[65536];
    while (write(p[1], buf, 4096) > 0)
        ;
    say("full: r %s, w %s", ready(p[0]), ready(p[1]));
    sel("full", p[0], p[1]);
    read(p[0], buf, 4096);
    say("one page read: r %s, w %s", ready(p[0]), ready(p[1]));
    while (read(p[0], buf, sizeof buf) > 0)
        ;
    say("drained: r %s, w %s", ready(p[0]), ready(p[1]));
    int p2[2];
    pipe(p2);
    close(p2[0]);
    say("reader gone: w %s", ready(p2[1]));
    sel("reader gone", p[0], p2[1]);
    close(p[1]);
    say("writer gone: r %s", ready(p[0]));
    sel("writer gone", p[0], p2[1]);

    /* A blocking poll wakes when a child writes. */
    pipe(p);
    if (fork() == 0) {
        sleep_ms(30);
        write(p[1], "w", 1);
        _exit(0);
    }
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    SAY("poll(-1) until the child writes", poll(&pf, 1, -1));
    say("revents: %s", pollname(pf.revents));
    wait(0);
    return 0;
}
