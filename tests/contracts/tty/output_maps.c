/* Output processing of what the slave writes: OPOST off, ONLCR, OCRNL,
 * ONOCR, ONLRET, and tab expansion (XTABS / TAB3). */
#include "ptyutil.h"

static int m, s;

static void try(const char *label, tcflag_t oflag, const char *out, int len)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_oflag = oflag;
    tcsetattr(s, TCSANOW, &t);
    write(s, out, len);
    char buf[128];
    int n = read_for(m, buf, 128, 200);
    show(label, buf, n);
}

int main(void)
{
    if (open_pty(&m, &s) < 0)
        return 1;
    try("OPOST off", 0, "a\nb\r", 4);
    try("OPOST|ONLCR", OPOST | ONLCR, "a\nb\r", 4);
    try("OPOST|OCRNL", OPOST | OCRNL, "a\nb\r", 4);
    try("OPOST|ONOCR at column 0", OPOST | ONOCR, "\rx\r", 3);
    try("OPOST|ONLRET", OPOST | ONLRET, "ab\n\rc", 5);
    try("OPOST|TAB3", OPOST | TAB3, "a\tbc\td\n", 7);
    try("ONLCR without OPOST", ONLCR, "a\n", 2);
    return 0;
}
