/* SO_RCVLOWAT on a stream: a blocking read waits for that many bytes
 * (or end of file), a non-blocking read is not held back, MSG_WAITALL
 * still wants its full length. */
#include "unixutil.h"

int main(void)
{
    int sv[2], p[2], st;
    char b[16];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int v = 5;
    OK("set SO_RCVLOWAT 5", setsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v));
    socklen_t vl = sizeof v;
    getsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &v, &vl);
    say("SO_RCVLOWAT %d", v);
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        write(sv[0], "ab", 2);
        read(p[0], &go, 1);
        write(sv[0], "cde", 3);
        _exit(0);
    }
    write(p[1], "g", 1);
    SAY("blocking read waits for 5", read(sv[1], b, sizeof b));
    waitpid(pid, &st, 0);
    write(sv[0], "xy", 2);
    shutdown(sv[0], SHUT_WR);
    SAY("end of file releases it", read(sv[1], b, sizeof b));
    v = 0;
    setsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v);
    getsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &v, &vl);
    say("SO_RCVLOWAT 0 reads back %d", v);
    return 0;
}
