/* Input translation: ICRNL, INLCR, IGNCR, ISTRIP, IUCLC (with IEXTEN
 * and XCASE off it is still applied by Linux), and IXON making ^S/^Q
 * flow control rather than data. */
#include "ptyutil.h"

static int m, s;

static void try(const char *label, tcflag_t iflag, const char *in, int len)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag = iflag;
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    write(m, in, len);
    char buf[64];
    int n = read_for(s, buf, 64, 200);
    show(label, buf, n);
}

int main(void)
{
    if (open_pty(&m, &s) < 0)
        return 1;
    try("none", 0, "a\rb\nc", 5);
    try("ICRNL", ICRNL, "a\rb\nc", 5);
    try("INLCR", INLCR, "a\rb\nc", 5);
    try("IGNCR", IGNCR, "a\rb\nc", 5);
    try("IGNCR|ICRNL", IGNCR | ICRNL, "a\rb\nc", 5);
    try("INLCR|ICRNL", INLCR | ICRNL, "a\rb\nc", 5);
    try("ISTRIP", ISTRIP, "\xc1\xe2", 2);
    try("no ISTRIP", 0, "\xc1\xe2", 2);
    try("IXON: ^S ^Q consumed", IXON, "x\023y\021z", 5);
    try("no IXON: ^S ^Q data", 0, "x\023y\021z", 5);
    return 0;
}
