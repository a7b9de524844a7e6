/* Terminal readiness through a pseudo-terminal pair: both sides are
 * writable; the slave in canonical mode becomes readable only with a
 * complete line; in raw mode with any byte; the master is readable when
 * the slave writes; a master whose slave closed reports HUP. */
#include "contract.h"
#include "events.h"
#include <termios.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag &= ~ECHO;
    tcsetattr(s, TCSANOW, &t);
    say("master: %s", ready(m));
    say("slave: %s", ready(s));
    write(m, "abc", 3);
    sleep_ms(20);
    say("slave, partial line: %s", ready(s));
    write(m, "\n", 1);
    sleep_ms(20);
    say("slave, whole line: %s", ready(s));
    char b[64];
    SAY("slave read", read(s, b, sizeof b));
    say("slave drained: %s", ready(s));
    t.c_lflag &= ~ICANON;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    write(m, "z", 1);
    sleep_ms(20);
    say("slave raw, one byte: %s", ready(s));
    read(s, b, sizeof b);
    write(s, "out", 3);
    sleep_ms(20);
    say("master after slave wrote: %s", ready(m));
    SAY("master read", read(m, b, sizeof b));
    say("master drained: %s", ready(m));
    struct pollfd pf = {.fd = m, .events = POLLIN};
    if (fork() == 0) {
        sleep_ms(30);
        write(s, "late", 4);
        _exit(0);
    }
    SAY("master poll(-1)", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    wait(0);
    read(m, b, sizeof b);
    close(s);
    say("master after slave closed: %s", ready(m));
    return 0;
}
