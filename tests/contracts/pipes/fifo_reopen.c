/* A FIFO's buffer lives while some end is open: data and a changed size
 * survive while one end stays open, and are gone once the last closes. */
#include "contract.h"
#include "../events/events.h"

int main(void)
{
    mkfifo("ff", 0600);
    int a = open("ff", O_RDWR | O_NONBLOCK);
    SAY("set size", fcntl(a, F_SETPIPE_SZ, 16384));
    write(a, "kept", 4);
    int b = open("ff", O_RDONLY | O_NONBLOCK);
    close(a);
    SAY("size seen by the other open", fcntl(b, F_GETPIPE_SZ));
    char buf[16];
    SAY("data still there", read(b, buf, sizeof buf));
    close(b);
    a = open("ff", O_RDWR | O_NONBLOCK);
    SAY("size after every end closed", fcntl(a, F_GETPIPE_SZ));
    SAY("read", read(a, buf, sizeof buf));
    return 0;
}
