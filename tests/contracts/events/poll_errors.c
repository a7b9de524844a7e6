/* poll's argument rules: a closed descriptor is POLLNVAL and counts; a
 * negative one is skipped with revents 0 (so ~fd disables an entry);
 * nfds above RLIMIT_NOFILE is EINVAL; a bad array is EFAULT; revents is
 * rewritten on every call; nfds 0 with a timeout just sleeps. */
#include "contract.h"
#include "events.h"
#include <sys/resource.h>

int main(void)
{
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    struct pollfd pf[4] = {
        {.fd = p[0], .events = POLLIN, .revents = 0x7777},
        {.fd = 77, .events = POLLIN, .revents = 0x7777},
        {.fd = -1, .events = POLLIN, .revents = 0x7777},
        {.fd = ~p[1], .events = POLLOUT, .revents = 0x7777},
    };
    SAY("poll", poll(pf, 4, 0));
    for (int i = 0; i < 4; i++)
        say("  [%d] %s", i, pollname(pf[i].revents));
    SAY("poll with NULL and nfds 0", poll(NULL, 0, 0));
    SAY("poll nfds 0, timeout 20", poll(NULL, 0, 20));
    SAY("poll with a bad address", poll((struct pollfd *)8, 1, 0));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    SAY("nfds = RLIMIT_NOFILE + 1", poll(pf, rl.rlim_cur + 1, 0));
    /* Only the nfds entries are read: the rest may be garbage. */
    struct pollfd one = {.fd = p[1], .events = POLLOUT};
    SAY("nfds = 1", poll(&one, 1, 0));
    say("  %s", pollname(one.revents));
    /* Unknown event bits are ignored. */
    one.events = POLLOUT | 0x4000;
    SAY("unknown bits asked", poll(&one, 1, 0));
    say("  %s", pollname(one.revents));
    /* The same descriptor twice counts twice. */
    struct pollfd two[2] = {{.fd = p[0], .events = POLLIN}, {.fd = p[0], .events = POLLIN}};
    SAY("same fd twice", poll(two, 2, 0));
    return 0;
}
