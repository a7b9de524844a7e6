/* The settings a new pty slave starts with (Linux's tty_std_termios), the
 * speed functions, and termios ioctl errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    struct termios t;
    SAY("tcgetattr", tcgetattr(s, &t));
    say("iflag %o oflag %o cflag %o lflag %o", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
    say("cc: intr %d quit %d erase %d kill %d eof %d min %d time %d susp %d werase %d lnext %d", t.c_cc[VINTR],
        t.c_cc[VQUIT], t.c_cc[VERASE], t.c_cc[VKILL], t.c_cc[VEOF], t.c_cc[VMIN], t.c_cc[VTIME], t.c_cc[VSUSP],
        t.c_cc[VWERASE], t.c_cc[VLNEXT]);
    say("ispeed %d ospeed %d", (int)cfgetispeed(&t), (int)cfgetospeed(&t));
    cfsetospeed(&t, B9600);
    SAY("set 9600", tcsetattr(s, TCSANOW, &t));
    tcgetattr(s, &t);
    say("ospeed now %d", (int)cfgetospeed(&t));
    int fd = open("/dev/null", O_RDWR);
    SAY("tcgetattr on /dev/null", tcgetattr(fd, &t));
    SAY("isatty(/dev/null)", isatty(fd));
    SAY("TIOCGWINSZ on /dev/null", ioctl(fd, TIOCGWINSZ, &(struct winsize){0}));
    SAY("tcgetattr bad fd", tcgetattr(99, &t));
    SAY("TIOCGPGRP on a tty that is not ours", ioctl(s, TIOCGPGRP, &(int){0}));
    SAY("TCFLSH", tcflush(s, TCIOFLUSH));
    SAY("tcdrain", tcdrain(s));
    return 0;
}
