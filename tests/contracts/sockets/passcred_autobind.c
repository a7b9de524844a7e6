/* SO_PASSCRED makes an unbound socket take an autobind name when it
 * sends or connects (so its peer can see who wrote). */
#include "unixutil.h"

static int namelen(int s)
{
    struct sockaddr_un a;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    return l;
}

int main(void)
{
    int one = 1;
    struct sockaddr_un a;
    socklen_t al = abstract_addr(&a, "pab");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(r, (struct sockaddr *)&a, al);
    int w = socket(AF_UNIX, SOCK_DGRAM, 0);
    say("before: %d", namelen(w));
    sendto(w, "x", 1, 0, (struct sockaddr *)&a, al);
    say("after plain send: %d", namelen(w));
    setsockopt(w, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    sendto(w, "x", 1, 0, (struct sockaddr *)&a, al);
    say("after send with passcred: %d", namelen(w));
    char b;
    struct sockaddr_un f;
    socklen_t fl = sizeof f;
    recvfrom(r, &b, 1, 0, (struct sockaddr *)&f, &fl);
    say("first from len %d", fl);
    fl = sizeof f;
    recvfrom(r, &b, 1, 0, (struct sockaddr *)&f, &fl);
    say("second from len %d", fl);
    int c = socket(AF_UNIX, SOCK_DGRAM, 0);
    setsockopt(c, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    connect(c, (struct sockaddr *)&a, al);
    say("after connect with passcred: %d", namelen(c));
    struct sockaddr_un la;
    int l = listener(SOCK_STREAM, "pab", &la, 2);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    connect(s, (struct sockaddr *)&la, sizeof la);
    say("stream connect with passcred: %d", namelen(s));
    setsockopt(l, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(s2, (struct sockaddr *)&la, sizeof la);
    accept(l, NULL, NULL);
    int acc = accept(l, NULL, NULL);
    int v = -1;
    socklen_t vl = sizeof v;
    getsockopt(acc, SOL_SOCKET, SO_PASSCRED, &v, &vl);
    say("accepted inherits listener's SO_PASSCRED: %d", v);
    unlink(la.sun_path);
    return 0;
}
