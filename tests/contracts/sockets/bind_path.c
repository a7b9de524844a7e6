/* bind(2) to a path: the socket file it makes, and every way it fails. */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a;
    struct stat st;
    umask(022);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    path_addr(&a, "bind");
    OK("bind", bind(s, (struct sockaddr *)&a, sizeof a));
    OK("stat", lstat(a.sun_path, &st));
    say("S_ISSOCK %d mode %o size %ld nlink %ld", S_ISSOCK(st.st_mode), st.st_mode & 07777, (long)st.st_size, (long)st.st_nlink);
    SAY("bind again same path", bind(s, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_un b;
    path_addr(&b, "bind2");
    SAY("bind bound socket elsewhere", bind(s, (struct sockaddr *)&b, sizeof b));
    SAY("no file left", access(b.sun_path, F_OK));
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    SAY("second socket same path", bind(t, (struct sockaddr *)&a, sizeof a));
    SAY("dgram same path", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, sizeof a));
    struct sockaddr_un c = { .sun_family = AF_UNIX };
    strcpy(c.sun_path, "no/such/dir/sock");
    SAY("missing dir", bind(t, (struct sockaddr *)&c, sizeof c));
    strcpy(c.sun_path, "/proc/self/x");
    SAY("in /proc", bind(t, (struct sockaddr *)&c, sizeof c));
    SAY("addrlen 1", bind(t, (struct sockaddr *)&a, 1));
    SAY("addrlen 111", bind(t, (struct sockaddr *)&a, 111));
    SAY("addrlen 129", bind(t, (struct sockaddr *)&a, 129));
    SAY("addrlen -1", bind(t, (struct sockaddr *)&a, -1));
    struct sockaddr_un w = a;
    w.sun_family = AF_INET;
    SAY("wrong family", bind(t, (struct sockaddr *)&w, sizeof w));
    SAY("bad pointer", bind(t, (struct sockaddr *)8, sizeof a));
    SAY("not a socket", bind(0, (struct sockaddr *)&a, sizeof a));
    SAY("bad fd", bind(99, (struct sockaddr *)&a, sizeof a));
    /* a full 108-byte path with no terminator */
    struct sockaddr_un l = { .sun_family = AF_UNIX };
    memset(l.sun_path, 'x', sizeof l.sun_path);
    snprintf(l.sun_path, 12, "L%d", getpid());
    l.sun_path[strlen(l.sun_path)] = 'x';
    SAY("108-byte path", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&l, sizeof l));
    char name[109];
    memcpy(name, l.sun_path, 108);
    name[108] = 0;
    SAY("108-byte file exists", access(name, F_OK));
    struct sockaddr_un got; socklen_t gl = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    say("getsockname len is 2 + path + 1: %d", gl == 2 + strlen(a.sun_path) + 1);
    /* the path is taken relative to the working directory */
    mkdir("sub", 0755);
    chdir("sub");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0);
    OK("relative bind", bind(r, (struct sockaddr *)&a, sizeof a));
    chdir("..");
    char p[128];
    snprintf(p, sizeof p, "sub/%s", a.sun_path);
    SAY("made in sub", access(p, F_OK));
    unlink(p);
    rmdir("sub");
    unlink(name);
    /* a socket file survives close; unlinking it frees the name */
    close(s);
    SAY("file after close", access(a.sun_path, F_OK));
    SAY("rebind after close", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    unlink(a.sun_path);
    SAY("rebind after unlink", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
    unlink(a.sun_path);
    return 0;
}
