/* select's argument rules: negative nfds is EINVAL; a closed descriptor
 * in any set is EBADF; a bad timeval is EINVAL; nfds above FD_SETSIZE is
 * accepted (Linux clamps it to the descriptor table); NULL sets are
 * fine; the sets come back with only the ready bits; exceptfds
 * reports nothing for pipes. */
#include "contract.h"
#include "events.h"
#include <sys/select.h>

int main(void)
{
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    fd_set r, w, e;
    struct timeval tv = {0, 0};
    FD_ZERO(&r);
    SAY("nfds -1", select(-1, &r, 0, 0, &tv));
    FD_ZERO(&r);
    FD_SET(40, &r);
    SAY("closed fd 40 in readfds", select(41, &r, 0, 0, &tv));
    FD_ZERO(&e);
    FD_SET(40, &e);
    SAY("closed fd 40 in exceptfds", select(41, 0, 0, &e, &tv));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval bad = {0, -1};
    SAY("tv_usec -1", select(p[0] + 1, &r, 0, 0, &bad));
    struct timeval negs = {-1, 0};
    SAY("tv_sec -1", select(p[0] + 1, &r, 0, 0, &negs));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){0, 0};
    SAY("nfds 5000 with a ready pipe", syscall(SYS_select, 5000, &r, 0, 0, &tv));
    SAY("all sets NULL", select(10, 0, 0, 0, &tv));
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(p[0], &r);
    FD_SET(p[1], &r);
    FD_SET(p[0], &w);
    FD_SET(p[1], &w);
    FD_SET(p[0], &e);
    FD_SET(p[1], &e);
    int n = select(p[1] + 1, &r, &w, &e, &tv);
    say("mixed: %d; r %d%d w %d%d e %d%d", n, FD_ISSET(p[0], &r) != 0, FD_ISSET(p[1], &r) != 0, FD_ISSET(p[0], &w) != 0,
        FD_ISSET(p[1], &w) != 0, FD_ISSET(p[0], &e) != 0, FD_ISSET(p[1], &e) != 0);
    /* The sets are written back in whole 64-bit words: a bit above nfds
     * in the last word comes back cleared. */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(p[1] + 3, &r);
    n = select(p[1] + 1, &r, 0, 0, &tv);
    say("bit above nfds: n %d, still set %d", n, FD_ISSET(p[1] + 3, &r) != 0);
    tv = (struct timeval){0, 30000};
    FD_ZERO(&r);
    int q[2];
    pipe(q);
    FD_SET(q[0], &r);
    SAY("timeout with nothing ready", select(q[0] + 1, &r, 0, 0, &tv));
    SAY("bad readfds address", select(q[0] + 1, (fd_set *)8, 0, 0, &tv));
    return 0;
}
