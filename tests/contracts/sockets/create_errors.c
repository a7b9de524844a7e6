/* socket(2) and socketpair(2): types, flags, and the errors for bad
 * domains, types, protocols and flags. */
#include "unixutil.h"

int main(void)
{
    int sv[2];
    SAY("stream", socket(AF_UNIX, SOCK_STREAM, 0) >= 0);
    SAY("dgram", socket(AF_UNIX, SOCK_DGRAM, 0) >= 0);
    SAY("seqpacket", socket(AF_UNIX, SOCK_SEQPACKET, 0) >= 0);
    SAY("protocol PF_UNIX", socket(AF_UNIX, SOCK_STREAM, PF_UNIX) >= 0);
    SAY("protocol 2", socket(AF_UNIX, SOCK_STREAM, 2));
    SAY("type SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0));
    SAY("type 11", socket(AF_UNIX, 11, 0));
    SAY("type 0", socket(AF_UNIX, 0, 0));
    SAY("domain 46", socket(46, SOCK_STREAM, 0));
    SAY("domain -1", socket(-1, SOCK_STREAM, 0));
    SAY("bad flag", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
    int raw = socket(AF_UNIX, SOCK_RAW, 0);
    int t = -1; socklen_t tl = sizeof t;
    getsockopt(raw, SOL_SOCKET, SO_TYPE, &t, &tl);
    say("SOCK_RAW becomes type %d", t);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    say("cloexec %d", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    say("flags %o", fcntl(fd, F_GETFL));
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    say("plain flags %o fd-flags %d", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
    OK("pair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    OK("pair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    OK("pair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
    say("pair flags %o %o cloexec %d %d", fcntl(sv[0], F_GETFL), fcntl(sv[1], F_GETFL), fcntl(sv[0], F_GETFD), fcntl(sv[1], F_GETFD));
    SAY("pair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    SAY("pair bad protocol", socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
    SAY("pair bad type", socketpair(AF_UNIX, 9, 0, sv));
    SAY("pair bad flag", socketpair(AF_UNIX, SOCK_STREAM | 0x200, 0, sv));
    SAY("pair bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)8));
    return 0;
}
