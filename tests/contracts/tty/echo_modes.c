/* Echo flags: ECHO off, ECHONL without ECHO, ECHOE (erase as BS-SP-BS)
 * versus plain erase echo, ECHOK, ECHOCTL for control characters, ECHOKE,
 * and echo in non-canonical mode. */
#include "ptyutil.h"

int main(void)
{
    int m, s;
    if (open_pty(&m, &s) < 0)
        return 1;
    char buf[128];
    int n;

    write(m, "ab\177\n", 4);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHOE erase echo", 8);

    set_lflag(s, 0, ECHOE);
    write(m, "ab\177\n", 4);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "no ECHOE", 6);
    set_lflag(s, ECHOE, 0);

    set_lflag(s, 0, ECHOKE);
    write(m, "xy\025\n", 4);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHOK without ECHOKE", 8);
    set_lflag(s, ECHOKE, 0);
    write(m, "xy\025\n", 4);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHOKE", 10);

    set_lflag(s, 0, ECHO);
    write(m, "secret\n", 7);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHO off", 8);

    set_lflag(s, ECHONL, 0);
    write(m, "nl\n", 3);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHONL only", 8);
    set_lflag(s, ECHO, ECHONL);

    write(m, "\001\033x\n", 4);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "ECHOCTL", 10);
    set_lflag(s, 0, ECHOCTL);
    write(m, "\001\n", 2);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    expect(m, "no ECHOCTL", 4);

    set_lflag(s, 0, ICANON);
    write(m, "raw\177", 4);
    n = read_for(s, buf, 4, 300);
    show("non-canonical read", buf, n);
    expect(m, "non-canonical echo", 4);
    return 0;
}
