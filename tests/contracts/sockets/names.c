/* getsockname/getpeername: lengths, truncation, unnamed peers, ENOTCONN,
 * and the addresses accept and recvfrom report. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a, got;
    socklen_t gl;
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    gl = sizeof got;
    memset(&got, 0x55, sizeof got);
    OK("unbound name", getsockname(u, (struct sockaddr *)&got, &gl));
    say("unbound len %d family %d", gl, got.sun_family);
    gl = sizeof got;
    SAY("unconnected peer", getpeername(u, (struct sockaddr *)&got, &gl));
    int l = listener(SOCK_STREAM, "names", &a, 4);
    size_t plen = strlen(a.sun_path);
    gl = sizeof got;
    getsockname(l, (struct sockaddr *)&got, &gl);
    say("bound len is 2 + path + 1: %d", gl == 2 + plen + 1);
    gl = 5;
    memset(&got, 0, sizeof got);
    OK("short buffer", getsockname(l, (struct sockaddr *)&got, &gl));
    say("short len full %d copied '%.3s' rest %d", gl == 2 + plen + 1, got.sun_path, got.sun_path[3]);
    gl = 0;
    OK("zero buffer", getsockname(l, NULL, &gl));
    say("zero len full %d", gl == 2 + plen + 1);
    gl = -1;
    SAY("negative len", getsockname(l, (struct sockaddr *)&got, &gl));
    SAY("bad len pointer", getsockname(l, (struct sockaddr *)&got, (socklen_t *)8));
    gl = sizeof got;
    SAY("bad address pointer", getsockname(l, (struct sockaddr *)8, &gl));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    gl = sizeof got;
    int s = accept(l, (struct sockaddr *)&got, &gl);
    say("accept from unnamed: len %d", gl);
    gl = sizeof got;
    getpeername(c, (struct sockaddr *)&got, &gl);
    say("client peer len full %d is listener path %d", gl == 2 + plen + 1, strcmp(got.sun_path, a.sun_path) == 0);
    gl = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    say("accepted name len full %d is listener path %d", gl == 2 + plen + 1, strcmp(got.sun_path, a.sun_path) == 0);
    gl = sizeof got;
    getpeername(s, (struct sockaddr *)&got, &gl);
    say("accepted peer len %d", gl);
    /* a bound client shows its name to accept */
    struct sockaddr_un ca;
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    path_addr(&ca, "client");
    bind(c2, (struct sockaddr *)&ca, sizeof ca);
    connect(c2, (struct sockaddr *)&a, sizeof a);
    gl = sizeof got;
    int s2 = accept(l, (struct sockaddr *)&got, &gl);
    say("accept from bound: len full %d same %d", gl == 2 + strlen(ca.sun_path) + 1, strcmp(got.sun_path, ca.sun_path) == 0);
    write(c2, "x", 1);
    gl = sizeof got;
    char b;
    SAY("recvfrom stream", recvfrom(s2, &b, 1, 0, (struct sockaddr *)&got, &gl));
    say("stream source len full %d", gl == 2 + strlen(ca.sun_path) + 1);
    write(s2, "y", 1);
    gl = sizeof got;
    recvfrom(c2, &b, 1, 0, (struct sockaddr *)&got, &gl);
    say("reply source len full %d is listener %d", gl == 2 + plen + 1, strcmp(got.sun_path, a.sun_path) == 0);
    /* datagram sources */
    int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un da;
    socklen_t dal = abstract_addr(&da, "names-d");
    bind(d1, (struct sockaddr *)&da, dal);
    sendto(d2, "a", 1, 0, (struct sockaddr *)&da, dal);
    gl = sizeof got;
    SAY("recvfrom unnamed sender", recvfrom(d1, &b, 1, 0, (struct sockaddr *)&got, &gl));
    say("unnamed source len %d", gl);
    sendto(d1, "b", 1, 0, (struct sockaddr *)&da, dal);
    gl = 4;
    SAY("recvfrom self, short", recvfrom(d1, &b, 1, 0, (struct sockaddr *)&got, &gl));
    say("source len is abstract length %d", gl == dal);
    unlink(a.sun_path);
    unlink(ca.sun_path);
    return 0;
}
