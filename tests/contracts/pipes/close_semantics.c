/* End-of-file and hang-up: a reader sees queued data, then 0 once every
 * writer (including duplicates and children's copies) has closed; a
 * blocked reader wakes with 0 when the last writer closes; poll reports
 * HUP on the read end and ERR on the write end. */
#include "contract.h"
#include "../events/events.h"

int main(void)
{
    int p[2];
    pipe(p);
    int w2 = dup(p[1]);
    write(p[1], "abc", 3);
    close(p[1]);
    say("one writer left: %s", ready(p[0]));
    char b[16];
    SAY("read", read(p[0], b, sizeof b));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    SAY("read empty, writer open", read(p[0], b, sizeof b));
    write(w2, "de", 2);
    close(w2);
    say("writers gone, data queued: %s", ready(p[0]));
    SAY("read rest", read(p[0], b, sizeof b));
    SAY("read at EOF", read(p[0], b, sizeof b));
    say("at EOF: %s", ready(p[0]));
    close(p[0]);

    /* A reader blocked in read is woken by the last close. */
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        sleep_ms(50);
        _exit(0); /* closes the child's write end */
    }
    close(p[1]);
    SAY("blocked read returns at EOF", read(p[0], b, sizeof b));
    int st;
    waitpid(c, &st, 0);
    close(p[0]);

    /* Writer side: ERR once the reader is gone. */
    pipe(p);
    say("writer with reader: %s", ready(p[1]));
    close(p[0]);
    say("writer without reader: %s", ready(p[1]));
    struct pollfd pf = {.fd = p[1], .events = 0};
    SAY("poll with no events asked", poll(&pf, 1, 0));
    say("revents: %s", pollname(pf.revents));
    close(p[1]);

    /* A reader whose writer closed, with events = 0: HUP anyway. */
    pipe(p);
    close(p[1]);
    pf.fd = p[0];
    pf.events = 0;
    SAY("poll reader, no events asked", poll(&pf, 1, 0));
    say("revents: %s", pollname(pf.revents));
    return 0;
}
