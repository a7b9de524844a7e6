/* termios settings round trip through TCSETS/TCGETS on a pty: flags,
 * control characters, speeds; TCSETSW and TCSETSF; invalid ioctls on a
 * non-tty (ENOTTY). */
#include "contract.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    struct termios t, r;
    tcgetattr(s, &t);
    t.c_lflag &= ~(ECHO | ICANON);
    t.c_iflag |= IXOFF;
    t.c_oflag &= ~OPOST;
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 7;
    t.c_cc[VINTR] = 1;
    cfsetispeed(&t, B9600);
    cfsetospeed(&t, B9600);
    SAY("TCSANOW", tcsetattr(s, TCSANOW, &t));
    tcgetattr(s, &r);
    say("lflag echo %d icanon %d iflag ixoff %d oflag opost %d", !!(r.c_lflag & ECHO), !!(r.c_lflag & ICANON), !!(r.c_iflag & IXOFF), !!(r.c_oflag & OPOST));
    say("vmin %d vtime %d vintr %d speed %d", r.c_cc[VMIN], r.c_cc[VTIME], r.c_cc[VINTR], cfgetospeed(&r) == B9600);
    SAY("TCSADRAIN", tcsetattr(s, TCSADRAIN, &t));
    SAY("TCSAFLUSH", tcsetattr(s, TCSAFLUSH, &t));
    SAY("bad action", tcsetattr(s, 7, &t));
    SAY("master sees settings", tcgetattr(m, &r));
    say("master vmin %d", r.c_cc[VMIN]);
    int f = open("/dev/null", O_RDWR);
    SAY("tcgetattr /dev/null", tcgetattr(f, &r));
    SAY("isatty /dev/null", isatty(f));
    SAY("isatty pty", isatty(s));
    int p[2];
    pipe(p);
    SAY("TIOCGWINSZ on a pipe", ({ struct winsize w; ioctl(p[0], TIOCGWINSZ, &w); }));
    return 0;
}
