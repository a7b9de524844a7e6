/* Canonical editing extras: VLNEXT (^V) makes the next character literal
 * (echoed as ^ then backspace, then the character), VREPRINT (^R) reprints
 * the line, a tab is erased back to where it started, IUTF8 erases whole
 * UTF-8 characters, ECHOPRT shows erased characters between \ and /. */
#include "ptyutil.h"

int main(void)
{
    int m, s;
    if (open_pty(&m, &s) < 0)
        return 1;
    char buf[64];
    int n;
    write(m, "a\026\003\n", 4);
    n = read(s, buf, sizeof buf);
    show("literal ^C", buf, n);
    expect(m, "echo", 7);

    write(m, "ab\022", 3);
    expect(m, "reprint echo", 8);
    write(m, "\n", 1);
    n = read(s, buf, sizeof buf);
    show("line", buf, n);
    expect(m, "newline echo", 2);

    write(m, "ab\t\177\n", 5);
    n = read(s, buf, sizeof buf);
    show("tab erased", buf, n);
    expect(m, "tab erase echo", 11);

    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag |= IUTF8;
    tcsetattr(s, TCSANOW, &t);
    write(m, "x\xc3\xa9\177\n", 5);
    n = read(s, buf, sizeof buf);
    show("IUTF8 erase", buf, n);
    expect(m, "IUTF8 erase echo", 8);
    t.c_iflag &= ~IUTF8;
    tcsetattr(s, TCSANOW, &t);
    write(m, "x\xc3\xa9\177\n", 5);
    n = read(s, buf, sizeof buf);
    show("byte erase", buf, n);
    expect(m, "byte erase echo", 8);

    set_lflag(s, ECHOPRT, 0);
    write(m, "abc\177\177d\n", 7);
    n = read(s, buf, sizeof buf);
    show("ECHOPRT line", buf, n);
    expect(m, "ECHOPRT echo", 12);
    return 0;
}
