/* Each socketpair type end to end: both directions, what read and write
 * do, FIONREAD, getpeername of a pair (unnamed), getsockname. */
#include "unixutil.h"

static void run(int type, const char *name)
{
    int sv[2];
    char b[8];
    say("== %s", name);
    socketpair(AF_UNIX, type, 0, sv);
    SAY("0->1", write(sv[0], "ab", 2));
    SAY("1->0", write(sv[1], "cde", 3));
    SAY("1 reads", read(sv[1], b, sizeof b));
    SAY("0 reads", read(sv[0], b, sizeof b));
    struct sockaddr_un a;
    socklen_t l = sizeof a;
    SAY("getpeername", getpeername(sv[0], (struct sockaddr *)&a, &l));
    say("peer len %d", l);
    l = sizeof a;
    SAY("getsockname", getsockname(sv[1], (struct sockaddr *)&a, &l));
    say("name len %d", l);
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    run(SOCK_STREAM, "stream");
    run(SOCK_DGRAM, "dgram");
    run(SOCK_SEQPACKET, "seqpacket");
    return 0;
}
