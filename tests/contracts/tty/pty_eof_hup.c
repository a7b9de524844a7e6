/* A pty pair's ends closing: the master reads EIO once the slave side is
 * closed, the slave sees end of file / EIO after the master closes, and
 * poll reports POLLHUP. */
#include "contract.h"
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    SAY("slave opened", s >= 0);
    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    write(s, "hi", 2);
    char b[8];
    SAY("master reads", read(m, b, sizeof b));
    close(s);
    struct pollfd p = { m, POLLIN, 0 };
    poll(&p, 1, 0);
    say("master poll after slave closed: hup %d", !!(p.revents & POLLHUP));
    SAY("master read after slave closed", read(m, b, sizeof b));
    s = open(ptsname(m), O_RDWR | O_NOCTTY);
    SAY("slave reopened", s >= 0);
    close(m);
    struct pollfd q = { s, POLLIN, 0 };
    poll(&q, 1, 0);
    say("slave poll after master closed: hup %d", !!(q.revents & POLLHUP));
    SAY("slave read after master closed", read(s, b, sizeof b));
    SAY("slave write after master closed", write(s, "x", 1));
    return 0;
}
