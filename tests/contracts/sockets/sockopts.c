/* SOL_SOCKET options on AF_UNIX: read-only facts, buffer sizes (doubled,
 * with minimums), timeouts (round trip, EDOM, EAGAIN when one expires),
 * booleans, and the errors. */
#include "unixutil.h"

static void get_int(const char *name, int s, int opt)
{
    int v = -7;
    socklen_t l = sizeof v;
    if (getsockopt(s, SOL_SOCKET, opt, &v, &l) < 0)
        say("%s: -1 %s", name, errname(errno));
    else
        say("%s: %d (len %d)", name, v, l);
}

int main(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    int q = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    get_int("SO_TYPE stream", s, SO_TYPE);
    get_int("SO_TYPE dgram", d, SO_TYPE);
    get_int("SO_TYPE seqpacket", q, SO_TYPE);
    get_int("SO_DOMAIN", s, SO_DOMAIN);
    get_int("SO_PROTOCOL", s, SO_PROTOCOL);
    get_int("SO_ACCEPTCONN", s, SO_ACCEPTCONN);
    get_int("SO_ERROR", s, SO_ERROR);
    get_int("SO_SNDBUF default", s, SO_SNDBUF);
    get_int("SO_RCVBUF default", s, SO_RCVBUF);
    get_int("SO_RCVLOWAT", s, SO_RCVLOWAT);
    get_int("SO_SNDLOWAT", s, SO_SNDLOWAT);
    get_int("SO_KEEPALIVE", s, SO_KEEPALIVE);
    get_int("SO_REUSEADDR", s, SO_REUSEADDR);
    get_int("SO_PRIORITY", s, SO_PRIORITY);
    int v = 10000;
    OK("set SO_SNDBUF 10000", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    get_int("SO_SNDBUF", s, SO_SNDBUF);
    v = 100;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    get_int("SO_SNDBUF after 100", s, SO_SNDBUF);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    get_int("SO_RCVBUF after 100", s, SO_RCVBUF);
    v = 50000;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    get_int("SO_RCVBUF after 50000", s, SO_RCVBUF);
    v = 1;
    OK("SO_KEEPALIVE on", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
    get_int("SO_KEEPALIVE", s, SO_KEEPALIVE);
    v = 5;
    OK("SO_REUSEADDR 5", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    get_int("SO_REUSEADDR", s, SO_REUSEADDR);
    v = 3;
    OK("SO_PRIORITY 3", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &v, sizeof v));
    get_int("SO_PRIORITY", s, SO_PRIORITY);
    struct linger lg = { 1, 7 };
    OK("SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    struct linger lg2;
    socklen_t ll = sizeof lg2;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &ll);
    say("linger %d %d len %d", lg2.l_onoff, lg2.l_linger, ll);
    /* timeouts */
    struct timeval tv = { 1, 500000 }, back;
    socklen_t tl = sizeof back;
    OK("SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &back, &tl);
    say("rcvtimeo %ld.%06ld len %d", (long)back.tv_sec, (long)back.tv_usec, tl);
    tl = sizeof back;
    getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &back, &tl);
    say("sndtimeo default %ld.%06ld", (long)back.tv_sec, (long)back.tv_usec);
    tv.tv_usec = 1000000;
    SAY("usec out of range", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    SAY("short timeval", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, 8));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval shortv = { 0, 20000 };
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &shortv, sizeof shortv);
    char b;
    SAY("recv times out", recv(sv[1], &b, 1, 0));
    int dp[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dp);
    setsockopt(dp[1], SOL_SOCKET, SO_RCVTIMEO, &shortv, sizeof shortv);
    SAY("dgram recv times out", recv(dp[1], &b, 1, 0));
    /* errors */
    v = 1;
    SAY("unknown option", setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v));
    socklen_t vl = sizeof v;
    SAY("get unknown option", getsockopt(s, SOL_SOCKET, 9999, &v, &vl));
    SAY("short int", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 2));
    SAY("negative optlen", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, -1));
    SAY("level SOL_TCP", setsockopt(s, 6, 1, &v, sizeof v));
    SAY("get level SOL_IP", getsockopt(s, 0, 1, &v, &vl));
    SAY("not a socket", setsockopt(0, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
    SAY("get not a socket", getsockopt(0, SOL_SOCKET, SO_TYPE, &v, &vl));
    SAY("bad fd", getsockopt(77, SOL_SOCKET, SO_TYPE, &v, &vl));
    vl = (socklen_t)-1;
    SAY("negative length", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl));
    vl = 2;
    v = 0;
    SAY("2-byte read", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl));
    say("value %d len %d", v, vl);
    SAY("bad value pointer", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (void *)8, sizeof v));
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "opt", &a, 2);
    get_int("SO_ACCEPTCONN listening", l, SO_ACCEPTCONN);
    unlink(a.sun_path);
    return 0;
}
