/* What each side sees when the other closes: the master reads EIO once
 * every slave fd is closed, the slave reads end of file (and writes fail
 * with EIO) after the master closes; poll shows POLLHUP. */
#include "ptyutil.h"

int main(void)
{
    int m, s;
    if (open_pty(&m, &s) < 0)
        return 1;
    char buf[16];
    write(s, "bye", 3);
    close(s);
    int n = read_for(m, buf, 3, 300);
    show("master reads data written before the close", buf, n);
    struct pollfd p = {m, POLLIN, 0};
    poll(&p, 1, 300);
    say("master poll after slave close: POLLHUP %d", !!(p.revents & POLLHUP));
    SAY("master read after slave close", read(m, buf, sizeof buf));
    SAY("master write after slave close", write(m, "x", 1));
    close(m);

    if (open_pty(&m, &s) < 0)
        return 1;
    close(m);
    struct pollfd q = {s, POLLIN | POLLOUT, 0};
    poll(&q, 1, 300);
    say("slave poll after master close: POLLHUP %d POLLIN %d", !!(q.revents & POLLHUP), !!(q.revents & POLLIN));
    SAY("slave read after master close", read(s, buf, sizeof buf));
    SAY("slave write after master close", write(s, "x", 1));
    struct termios t;
    SAY("tcgetattr after hangup", tcgetattr(s, &t));
    close(s);
    return 0;
}
