/* /dev/ptmx: each open makes a new pair; the slave starts locked (open
 * fails with EIO) until TIOCSPTLCK 0; TIOCGPTN names it; the slave's
 * owner and mode after grantpt; TIOCGPTPEER opens the slave from the
 * master; a slave of a closed master cannot be opened. */
#include "ptyutil.h"
#include <sys/stat.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int main(void)
{
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    say("open ptmx: %d", m >= 0);
    unsigned n1 = 0, n2 = 0;
    SAY("TIOCGPTN", ioctl(m, TIOCGPTN, &n1));
    int m2 = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    ioctl(m2, TIOCGPTN, &n2);
    say("second pair has another number: %d", n1 != n2);
    char path[64];
    snprintf(path, sizeof path, "/dev/pts/%u", n1);
    struct stat st;
    SAY("slave node exists", stat(path, &st));
    say("slave is a char device: %d, major 136: %d", S_ISCHR(st.st_mode), (int)(st.st_rdev >> 8) == 136);
    SAY("open while locked", open(path, O_RDWR | O_NOCTTY));
    int lock = 0;
    SAY("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &lock));
    say("locked: %d", lock);
    lock = 0;
    SAY("TIOCSPTLCK 0", ioctl(m, TIOCSPTLCK, &lock));
    ioctl(m, TIOCGPTLCK, &lock);
    say("locked: %d", lock);
    int s = open(path, O_RDWR | O_NOCTTY);
    say("open after unlock: %d", s >= 0);
    lock = 1;
    ioctl(m, TIOCSPTLCK, &lock);
    SAY("open after relock", open(path, O_RDWR | O_NOCTTY));
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    say("TIOCGPTPEER while locked: %d %s", peer >= 0, peer < 0 ? errname(errno) : "");
    lock = 0;
    ioctl(m, TIOCSPTLCK, &lock);
    peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    say("TIOCGPTPEER: %d", peer >= 0);
    struct stat a, b;
    fstat(peer, &a);
    fstat(s, &b);
    say("peer is the same slave: %d", a.st_rdev == b.st_rdev);
    SAY("TIOCGPTN on the slave", ioctl(s, TIOCGPTN, &n2));
    SAY("TIOCGPTPEER on the slave", ioctl(s, TIOCGPTPEER, O_RDWR));
    close(peer);
    close(s);
    close(m);
    SAY("open slave of a closed master", open(path, O_RDWR | O_NOCTTY));
    close(m2);
    return 0;
}
