/* poll on descriptors that are always ready: regular files, directories,
 * /dev/null, /dev/zero report IN|OUT|RDNORM|WRNORM (what was asked of
 * those); O_PATH descriptors are NVAL. */
#include "contract.h"
#include "events.h"

static void show(const char *label, int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, 0);
    say("%s: %d %s", label, n, pollname(p.revents));
}

int main(void)
{
    int f = open("file", O_CREAT | O_RDWR, 0600);
    show("regular, all", f, POLLIN | POLLOUT | POLLPRI | POLLRDNORM | POLLWRNORM | POLLRDBAND | POLLWRBAND);
    show("regular, IN", f, POLLIN);
    show("regular, none asked", f, 0);
    int ro = open("file", O_RDONLY);
    show("read-only regular, OUT", ro, POLLOUT);
    int d = open(".", O_RDONLY | O_DIRECTORY);
    show("directory", d, POLLIN | POLLOUT);
    int n = open("/dev/null", O_RDWR);
    show("/dev/null", n, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
    int z = open("/dev/zero", O_RDONLY);
    show("/dev/zero", z, POLLIN | POLLPRI);
    int pth = open("file", O_PATH);
    show("O_PATH", pth, POLLIN);
    return 0;
}
