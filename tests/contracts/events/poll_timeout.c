/* Timeouts: 0 returns at once; a positive timeout returns 0 after at
 * least that long; -1 waits until an event (a child's write). ppoll
 * rejects a bad timespec. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int p[2];
    pipe(p);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    SAY("timeout 0", poll(&pf, 1, 0));
    long t0 = now_ms();
    SAY("timeout 60", poll(&pf, 1, 60));
    say("waited at least 60 ms: %d", now_ms() - t0 >= 59);
    struct timespec ts = {0, 40 * 1000000};
    t0 = now_ms();
    SAY("ppoll 40 ms", ppoll(&pf, 1, &ts, NULL));
    say("waited at least 40 ms: %d", now_ms() - t0 >= 39);
    struct timespec bad = {0, 1000000000};
    SAY("ppoll nsec = 1e9", ppoll(&pf, 1, &bad, NULL));
    struct timespec neg = {-1, 0};
    SAY("ppoll negative", ppoll(&pf, 1, &neg, NULL));
    struct timespec zero = {0, 0};
    SAY("ppoll zero", ppoll(&pf, 1, &zero, NULL));
    if (fork() == 0) {
        sleep_ms(40);
        write(p[1], "x", 1);
        _exit(0);
    }
    SAY("timeout -1", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    wait(0);
    return 0;
}
