/* listen/accept: the errors, accept4 flags, the backlog (a full queue
 * makes a non-blocking connect EAGAIN), listen again to grow it, accept
 * order, and connect errors. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a, n;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    SAY("listen unbound", listen(s, 1));
    SAY("accept not listening", accept(s, NULL, NULL));
    path_addr(&a, "la");
    bind(s, (struct sockaddr *)&a, sizeof a);
    OK("listen 0", listen(s, 0));
    OK("listen again", listen(s, 0));
    SAY("connect a listener", connect(s, (struct sockaddr *)&a, sizeof a));
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    OK("first connect", connect(c1, (struct sockaddr *)&a, sizeof a));
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    SAY("backlog full", connect(c2, (struct sockaddr *)&a, sizeof a));
    OK("listen 1", listen(s, 1));
    OK("now it fits", connect(c2, (struct sockaddr *)&a, sizeof a));
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    SAY("full again", connect(c3, (struct sockaddr *)&a, sizeof a));
    write(c1, "1", 1);
    write(c2, "2", 1);
    char b = 0;
    int x = accept4(s, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    read(x, &b, 1);
    say("accepted first: %c flags %o cloexec %d", b, fcntl(x, F_GETFL), fcntl(x, F_GETFD));
    x = accept(s, NULL, NULL);
    read(x, &b, 1);
    say("accepted second: %c flags %o cloexec %d", b, fcntl(x, F_GETFL), fcntl(x, F_GETFD));
    fcntl(s, F_SETFL, O_NONBLOCK);
    SAY("accept empty nonblocking", accept(s, NULL, NULL));
    SAY("accept on dgram", accept(socket(AF_UNIX, SOCK_DGRAM, 0), NULL, NULL));
    SAY("accept on pipe", accept(0, NULL, NULL));
    SAY("listen on connected", listen(c1, 1));
    socklen_t l = 3;
    struct sockaddr_un got;
    int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c4, (struct sockaddr *)&a, sizeof a);
    SAY("accept bad addrlen pointer", accept(s, (struct sockaddr *)&got, (socklen_t *)8));
    SAY("connection lost with it", accept(s, (struct sockaddr *)&got, &l));
    /* connect errors */
    path_addr(&n, "nolistener");
    int nb = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(nb, (struct sockaddr *)&n, sizeof n);
    SAY("bound, not listening", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&n, sizeof n));
    unlink(n.sun_path);
    SAY("missing path", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&n, sizeof n));
    mkdir(n.sun_path, 0755);
    SAY("a directory", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&n, sizeof n));
    rmdir(n.sun_path);
    SAY("bad addrlen", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, 2));
    SAY("AF_INET address", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_INET, .sun_path = "x" }, sizeof(struct sockaddr_un)));
    SAY("dgram to stream listener", connect(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, sizeof a));
    /* a symlink to the socket works */
    symlink(a.sun_path, "la.link");
    struct sockaddr_un ln = { .sun_family = AF_UNIX, .sun_path = "la.link" };
    int c5 = socket(AF_UNIX, SOCK_STREAM, 0);
    SAY("through a symlink", connect(c5, (struct sockaddr *)&ln, sizeof ln));
    unlink("la.link");
    /* the socket file unlinked: the listener still works for those connected, new connects fail */
    unlink(a.sun_path);
    SAY("after unlink", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    x = accept(s, NULL, NULL);
    SAY("queued connection still accepted", x >= 0);
    return 0;
}
