/* Many sockets at once: 300 pairs made and closed give every descriptor
 * back; RLIMIT_NOFILE stops socket() and socketpair() with EMFILE; a
 * socket's memory returns (the same 100 pairs again work). */
#include "unixutil.h"
#include <sys/resource.h>

static int open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 2048; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            n++;
    return n;
}

int main(void)
{
    int before = open_fds();
    static int pairs[300][2];
    int made = 0;
    for (int i = 0; i < 300; i++)
        if (socketpair(AF_UNIX, i % 3 == 0 ? SOCK_STREAM : i % 3 == 1 ? SOCK_DGRAM : SOCK_SEQPACKET, 0, pairs[i]) == 0)
            made++;
    say("made %d, open %d", made, open_fds() - before);
    for (int i = 0; i < 300; i++) {
        write(pairs[i][0], "x", 1);
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
    say("after close %d", open_fds() - before);
    struct rlimit rl = { before + 3, before + 3 };
    setrlimit(RLIMIT_NOFILE, &rl);
    int sv[2];
    SAY("one pair fits", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    SAY("socket", socket(AF_UNIX, SOCK_DGRAM, 0) >= 0);
    SAY("socket at the limit", socket(AF_UNIX, SOCK_DGRAM, 0));
    close(sv[0]);
    SAY("pair with one free", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    say("no leak %d", open_fds() - before);
    return 0;
}
