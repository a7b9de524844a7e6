/* Writes of up to PIPE_BUF bytes are atomic: four writers each send 64
 * records of PIPE_BUF bytes filled with their own letter, concurrently;
 * the reader must find every record whole. Larger writes may interleave
 * but lose nothing. */
#include "contract.h"
#include "../events/events.h"
#include <limits.h>

#define WRITERS 4
#define RECORDS 64

int main(void)
{
    int p[2];
    pipe(p);
    say("PIPE_BUF: %d", PIPE_BUF);
    for (int w = 0; w < WRITERS; w++) {
        if (fork() == 0) {
            close(p[0]);
            char rec[PIPE_BUF];
            memset(rec, 'a' + w, sizeof rec);
            for (int i = 0; i < RECORDS; i++)
                if (write(p[1], rec, sizeof rec) != sizeof rec)
                    _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    char rec[PIPE_BUF];
    int counts[WRITERS] = {0}, torn = 0, records = 0;
    for (;;) {
        size_t got = 0;
        while (got < sizeof rec) {
            ssize_t n = read(p[0], rec + got, sizeof rec - got);
            if (n <= 0)
                break;
            got += n;
        }
        if (got == 0)
            break;
        records++;
        int w = rec[0] - 'a';
        for (size_t i = 0; i < got; i++)
            if (rec[i] != rec[0]) {
                torn++;
                break;
            }
        if (got != sizeof rec || w < 0 || w >= WRITERS)
            torn++;
        else
            counts[w]++;
    }
    int st, ok = 0;
    while (wait(&st) > 0)
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    say("writers ok: %d", ok);
    say("records: %d, torn: %d", records, torn);
    for (int w = 0; w < WRITERS; w++)
        say("writer %c: %d", 'a' + w, counts[w]);

    /* A large blocking write completes in pieces as the reader drains. */
    pipe(p);
    if (fork() == 0) {
        close(p[0]);
        static char big[300000];
        memset(big, 'z', sizeof big);
        ssize_t n = write(p[1], big, sizeof big);
        _exit(n == (ssize_t)sizeof big ? 0 : 1);
    }
    close(p[1]);
    long total = 0;
    ssize_t n;
    char buf[10000];
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        total += n;
    wait(&st);
    say("large write: %ld bytes, writer %s", total, wstatus(st));
    return 0;
}
