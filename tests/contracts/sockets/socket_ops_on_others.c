/* Socket calls on descriptors that are not sockets (ENOTSOCK) or not
 * open (EBADF), in the order Linux checks them. */
#include "unixutil.h"

int main(void)
{
    int p[2];
    pipe(p);
    int f = open(".", O_RDONLY);
    struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "x" };
    socklen_t l = sizeof a;
    char b;
    int fds[] = { p[0], f, 0, 99, -1 };
    const char *names[] = { "pipe", "dir", "stdin", "closed", "negative" };
    for (int i = 0; i < 5; i++) {
        int fd = fds[i];
        say("== %s", names[i]);
        SAY("bind", bind(fd, (struct sockaddr *)&a, sizeof a));
        SAY("connect", connect(fd, (struct sockaddr *)&a, sizeof a));
        SAY("listen", listen(fd, 1));
        SAY("accept", accept(fd, NULL, NULL));
        SAY("getsockname", getsockname(fd, (struct sockaddr *)&a, &l));
        SAY("getpeername", getpeername(fd, (struct sockaddr *)&a, &l));
        SAY("send", send(fd, "x", 1, 0));
        SAY("recv", recv(fd, &b, 1, MSG_DONTWAIT));
        SAY("shutdown", shutdown(fd, SHUT_RD));
        int v;
        socklen_t vl = sizeof v;
        SAY("getsockopt", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl));
    }
    return 0;
}
