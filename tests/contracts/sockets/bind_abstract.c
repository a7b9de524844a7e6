/* Abstract names and autobind: no file, names unique per socket type,
 * lengths exact, the name freed at close. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a, got;
    socklen_t al = abstract_addr(&a, "abs"), gl;
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    OK("bind abstract", bind(s, (struct sockaddr *)&a, al));
    SAY("same name again", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, al));
    SAY("same name, stream", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, al));
    SAY("longer name (trailing NUL)", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, al + 1));
    gl = sizeof got;
    OK("getsockname", getsockname(s, (struct sockaddr *)&got, &gl));
    say("len exact %d match %d first-byte %d", gl == al, gl == al && memcmp(&got, &a, al) == 0, got.sun_path[0]);
    SAY("bind twice", bind(s, (struct sockaddr *)&a, al));
    close(s);
    SAY("name free after close", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, al));
    SAY("just a NUL", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, 3));
    /* autobind */
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    OK("autobind", bind(t, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, sizeof(sa_family_t)));
    gl = sizeof got;
    getsockname(t, (struct sockaddr *)&got, &gl);
    int hex = 1;
    for (int i = 1; i < 6; i++)
        hex &= !!strchr("0123456789abcdef", got.sun_path[i]);
    say("autobind len %d nul %d hex %d", gl, got.sun_path[0], hex);
    SAY("autobind again (no-op)", bind(t, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, sizeof(sa_family_t)));
    struct sockaddr_un again; socklen_t agl = sizeof again;
    getsockname(t, (struct sockaddr *)&again, &agl);
    say("name kept %d", agl == gl && memcmp(&again, &got, gl) == 0);
    SAY("bind after autobind", bind(t, (struct sockaddr *)&a, al));
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(u, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX }, sizeof(sa_family_t));
    struct sockaddr_un g2; socklen_t g2l = sizeof g2;
    getsockname(u, (struct sockaddr *)&g2, &g2l);
    say("two autobinds differ %d", memcmp(&g2, &got, gl) != 0);
    /* autobind's family check: a 2-byte address of another family */
    SAY("2-byte AF_INET", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_INET }, sizeof(sa_family_t)));
    /* connect to an abstract name */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un la;
    socklen_t lal = abstract_addr(&la, "lst");
    OK("bind listener", bind(l, (struct sockaddr *)&la, lal));
    OK("listen", listen(l, 1));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    OK("connect abstract", connect(c, (struct sockaddr *)&la, lal));
    SAY("connect wrong length", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&la, lal - 1));
    SAY("dgram to stream name", connect(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&la, lal));
    return 0;
}
