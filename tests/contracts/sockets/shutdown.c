/* shutdown(2): what each side sees after SHUT_RD, SHUT_WR, SHUT_RDWR,
 * on stream and seqpacket pairs and on an unconnected socket. */
#include "unixutil.h"

static void pair_case(int type, const char *name)
{
    int sv[2];
    char b[8];
    socketpair(AF_UNIX, type, 0, sv);
    say("== %s", name);
    write(sv[0], "ab", 2);
    OK("shut_wr", shutdown(sv[0], SHUT_WR));
    SAY("writer poll", revents(sv[0]));
    SAY("reader poll", revents(sv[1]));
    SAY("writer write", send(sv[0], "x", 1, MSG_NOSIGNAL));
    SAY("reader gets data", recv(sv[1], b, sizeof b, 0));
    SAY("reader eof", recv(sv[1], b, sizeof b, 0));
    SAY("reader can still write", send(sv[1], "y", 1, 0));
    SAY("writer can still read", recv(sv[0], b, sizeof b, 0));
    OK("shut_rd on reader", shutdown(sv[1], SHUT_RD));
    SAY("reader poll", revents(sv[1]));
    SAY("writer poll", revents(sv[0]));
    SAY("writer reads after peer shut_rd", recv(sv[0], b, sizeof b, MSG_DONTWAIT));
    OK("shut_rdwr", shutdown(sv[1], SHUT_RDWR));
    SAY("reader poll after rdwr", revents(sv[1]));
    SAY("writer poll after rdwr", revents(sv[0]));
    SAY("writer read eof", recv(sv[0], b, sizeof b, 0));
    SAY("twice is fine", shutdown(sv[1], SHUT_RDWR));
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    pair_case(SOCK_STREAM, "stream");
    pair_case(SOCK_SEQPACKET, "seqpacket");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    SAY("bad how", shutdown(s, 3));
    SAY("negative how", shutdown(s, -1));
    SAY("unconnected stream", shutdown(s, SHUT_RDWR));
    SAY("poll after", revents(s));
    SAY("not a socket", shutdown(0, SHUT_RD));
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    OK("dgram shut_wr", shutdown(d[0], SHUT_WR));
    SAY("dgram send after", send(d[0], "x", 1, MSG_DONTWAIT));
    SAY("dgram peer poll", revents(d[1]));
    OK("dgram shut_rd", shutdown(d[1], SHUT_RD));
    SAY("dgram send to shut reader", send(d[0], "x", 1, MSG_DONTWAIT));
    SAY("dgram recv after shut_rd", recv(d[1], (char[4]){0}, 4, MSG_DONTWAIT));
    SAY("dgram poll", revents(d[1]));
    return 0;
}
