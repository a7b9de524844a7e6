/* Sockets with the copy calls: sendfile from a file into a stream
 * socket, splice from a socket into a pipe and back, tee-free. */
#include "unixutil.h"
#include <sys/sendfile.h>

int main(void)
{
    int sv[2], p[2];
    char b[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int f = open("sf.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "file contents here", 18);
    off_t off = 5;
    SAY("sendfile into socket", sendfile(sv[0], f, &off, 8));
    say("offset now %ld", (long)off);
    SAY("read it", read(sv[1], b, sizeof b));
    say("got %.8s", b);
    pipe(p);
    write(sv[0], "spliced", 7);
    SAY("splice socket->pipe", splice(sv[1], NULL, p[1], NULL, 64, 0));
    SAY("pipe has it", read(p[0], b, sizeof b));
    write(p[1], "back", 4);
    SAY("splice pipe->socket", splice(p[0], NULL, sv[0], NULL, 64, 0));
    SAY("socket has it", read(sv[1], b, sizeof b));
    say("got %.4s", b);
    SAY("sendfile from a socket", sendfile(f, sv[1], NULL, 4));
    unlink("sf.tmp");
    return 0;
}
