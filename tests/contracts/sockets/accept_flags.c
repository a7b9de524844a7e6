/* Accepted sockets: their own O_NONBLOCK and FD_CLOEXEC (not the
 * listener's), readable at once when the client wrote first, EOF when
 * the client closed before the accept. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a;
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    path_addr(&a, "af");
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 5);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    int s = accept(l, NULL, NULL);
    say("accept from nonblocking listener: flags %o cloexec %d", fcntl(s, F_GETFL), fcntl(s, F_GETFD));
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    write(c, "early", 5);
    close(c);
    s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
    char b[16];
    SAY("data from a closed client", read(s, b, sizeof b));
    SAY("then eof", read(s, b, sizeof b));
    SAY("write to it", send(s, "x", 1, MSG_NOSIGNAL));
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    close(c);
    s = accept(l, NULL, NULL);
    SAY("client gone before accept: read", read(s, b, sizeof b));
    SAY("accept with nothing", accept(l, NULL, NULL));
    unlink(a.sun_path);
    return 0;
}
