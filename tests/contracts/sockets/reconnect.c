/* Datagram connect semantics: reconnecting drops what the old peer
 * queued, the old peer connected back learns ECONNRESET, connecting to
 * oneself, and sends by name while connected. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un aa, ba, ca;
    socklen_t al = abstract_addr(&aa, "rca"), bl = abstract_addr(&ba, "rcb"), cl = abstract_addr(&ca, "rcc");
    int a = socket(AF_UNIX, SOCK_DGRAM, 0), b = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(a, (struct sockaddr *)&aa, al);
    bind(b, (struct sockaddr *)&ba, bl);
    bind(c, (struct sockaddr *)&ca, cl);
    connect(a, (struct sockaddr *)&ba, bl);
    connect(b, (struct sockaddr *)&aa, al);
    send(b, "1", 1, 0);
    send(b, "2", 1, 0);
    int inq;
    ioctl(a, FIONREAD, &inq);
    say("a has %d", inq);
    OK("a reconnects to c", connect(a, (struct sockaddr *)&ca, cl));
    char x;
    SAY("old messages dropped", recv(a, &x, 1, MSG_DONTWAIT));
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(b, SOL_SOCKET, SO_ERROR, &err, &el);
    say("b's error %s", errname(err));
    SAY("b sends to a now", send(b, "3", 1, 0));
    SAY("a connects to itself (connected to c)", connect(a, (struct sockaddr *)&aa, al));
    OK("a connects to c again", connect(a, (struct sockaddr *)&ca, cl));
    SAY("a sendto b by name", sendto(a, "n", 1, 0, (struct sockaddr *)&ba, bl));
    SAY("b reads", recv(b, &x, 1, MSG_DONTWAIT));
    SAY("c reads nothing", recv(c, &x, 1, MSG_DONTWAIT));
    SAY("a default send", send(a, "d", 1, 0));
    SAY("c reads", recv(c, &x, 1, 0));
    say("got %c", x);
    /* nothing queued: reconnecting sets no error */
    int d = socket(AF_UNIX, SOCK_DGRAM, 0), e = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un da;
    socklen_t dl = abstract_addr(&da, "rcd");
    bind(d, (struct sockaddr *)&da, dl);
    connect(e, (struct sockaddr *)&da, dl);
    connect(d, (struct sockaddr *)&ca, cl);
    getsockopt(e, SOL_SOCKET, SO_ERROR, &err, &el);
    say("e's error %s", errname(err));
    return 0;
}
