/* A socket shared across fork: both processes write into one stream,
 * the peer sees end of file only when the last copy closes, shutdown by
 * one copy affects both. */
#include "unixutil.h"

int main(void)
{
    int sv[2], p[2], st;
    char b[16];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[1]);
        write(sv[0], "child", 5);
        char go;
        read(p[0], &go, 1);
        _exit(0);
    }
    close(sv[0]);
    SAY("read child's", read(sv[1], b, sizeof b));
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    SAY("no eof while child holds it", read(sv[1], b, sizeof b));
    write(p[1], "g", 1);
    waitpid(pid, &st, 0);
    fcntl(sv[1], F_SETFL, 0);
    SAY("eof after child exits", read(sv[1], b, sizeof b));
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid = fork();
    if (pid == 0) {
        shutdown(sv[0], SHUT_WR);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    SAY("parent's copy shut too", send(sv[0], "x", 1, MSG_NOSIGNAL));
    SAY("peer sees eof", read(sv[1], b, sizeof b));
    return 0;
}
