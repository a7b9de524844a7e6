/* O_NONBLOCK writes: a write larger than the free space is partial (as
 * much as fits, page by page, after topping up the last page); one of at
 * most PIPE_BUF bytes is all or nothing (EAGAIN); reads of an empty pipe
 * are EAGAIN while a writer exists, 0 once none does. */
#include "contract.h"
#include "../events/events.h"

static char big[200000];

int main(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    char b[8];
    SAY("read empty", read(p[0], b, sizeof b));
    SAY("write 200000 into an empty pipe", write(p[1], big, sizeof big));
    SAY("write 1 into a full pipe", write(p[1], big, 1));
    close(p[0]);
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    SAY("write 1", write(p[1], big, 1));
    /* 200000 = 48 pages + 3392 bytes: the odd part tops up the first
     * page, then 15 fresh pages follow. */
    SAY("then write 200000", write(p[1], big, sizeof big));
    close(p[0]);
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    static char chunk[4096];
    for (int i = 0; i < 15; i++)
        write(p[1], chunk, sizeof chunk);
    SAY("write 4000 into the last free page", write(p[1], chunk, 4000));
    SAY("write 96 (fits in that page)", write(p[1], chunk, 96));
    SAY("write 1 (pipe full)", write(p[1], chunk, 1));
    SAY("read 10", read(p[0], chunk, 10));
    SAY("write 4096 with 10 bytes free", write(p[1], chunk, 4096));
    SAY("write 5000 with 10 bytes free", write(p[1], chunk, 5000));
    close(p[1]);
    long total = 0;
    ssize_t n;
    while ((n = read(p[0], chunk, sizeof chunk)) > 0)
        total += n;
    say("drained %ld, then %zd", total, n);

    /* Clearing O_NONBLOCK with F_SETFL makes writes block again. */
    pipe2(p, O_NONBLOCK);
    say("F_GETFL has O_NONBLOCK: %d", (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
    fcntl(p[1], F_SETFL, 0);
    say("after F_SETFL 0: %d", (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
    if (fork() == 0) {
        sleep_ms(50);
        char sink[65536];
        read(p[0], sink, sizeof sink);
        _exit(0);
    }
    SAY("blocking write of 70000", write(p[1], big, 70000));
    int st;
    wait(&st);
    return 0;
}
