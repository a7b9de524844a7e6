/* One datagram server, several clients: each reply goes to the right
 * client by the address recvfrom reported; unbound clients cannot be
 * answered (ENOTCONN/EINVAL paths), autobound ones can. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un sa;
    socklen_t sl = abstract_addr(&sa, "srv");
    int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(srv, (struct sockaddr *)&sa, sl);
    int cl[3];
    for (int i = 0; i < 3; i++) {
        cl[i] = socket(AF_UNIX, SOCK_DGRAM, 0);
        bind(cl[i], (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, sizeof(sa_family_t));
        char m = (char)('a' + i);
        sendto(cl[i], &m, 1, 0, (struct sockaddr *)&sa, sl);
    }
    for (int i = 0; i < 3; i++) {
        char m;
        struct sockaddr_un from;
        socklen_t fl = sizeof from;
        recvfrom(srv, &m, 1, 0, (struct sockaddr *)&from, &fl);
        m = (char)(m - 'a' + 'A');
        SAY("reply", sendto(srv, &m, 1, 0, (struct sockaddr *)&from, fl));
    }
    for (int i = 0; i < 3; i++) {
        char m = '?';
        recv(cl[i], &m, 1, MSG_DONTWAIT);
        say("client %d got %c", i, m);
    }
    int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(anon, "z", 1, 0, (struct sockaddr *)&sa, sl);
    char m;
    struct sockaddr_un from;
    socklen_t fl = sizeof from;
    recvfrom(srv, &m, 1, 0, (struct sockaddr *)&from, &fl);
    say("anonymous sender address length %d", fl);
    SAY("reply to empty address", sendto(srv, "Z", 1, 0, (struct sockaddr *)&from, fl));
    SAY("reply to family-only address", sendto(srv, "Z", 1, 0, (struct sockaddr *)&from, sizeof(sa_family_t)));
    return 0;
}
