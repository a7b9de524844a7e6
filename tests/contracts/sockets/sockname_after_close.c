/* Names after the other side closes: a stream's getpeername keeps
 * answering, a datagram socket's connection to a closed peer reports
 * ECONNREFUSED once, and a name is free for a new bind once its socket
 * closed (abstract) or its file is gone (path). */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a, got;
    socklen_t gl;
    int l = listener(SOCK_STREAM, "sac", &a, 2);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    int s = accept(l, NULL, NULL);
    close(s);
    close(l);
    gl = sizeof got;
    OK("getpeername after server closed", getpeername(c, (struct sockaddr *)&got, &gl));
    say("still the listener's name %d", strcmp(got.sun_path, a.sun_path) == 0);
    SAY("listener path still a file", access(a.sun_path, F_OK));
    SAY("rebind path while file exists", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    unlink(a.sun_path);
    OK("rebind after unlink", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    struct sockaddr_un ab;
    socklen_t abl = abstract_addr(&ab, "sac");
    int x = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(x, (struct sockaddr *)&ab, abl);
    int y = socket(AF_UNIX, SOCK_DGRAM, 0);
    connect(y, (struct sockaddr *)&ab, abl);
    close(x);
    OK("abstract name free at once", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&ab, abl));
    SAY("old connection refused", send(y, "x", 1, 0));
    unlink(a.sun_path);
    return 0;
}
