/* Streams keep byte order across many small writes from two processes
 * taking turns (a token passed through the socket itself), and a reader
 * with a small buffer gets every byte once. */
#include "unixutil.h"

int main(void)
{
    int sv[2], st;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        for (int i = 0; i < 50; i++) {
            if (read(sv[1], &c, 1) != 1)
                _exit(1);
            c = (char)(c + 1);
            write(sv[1], &c, 1);
        }
        _exit(0);
    }
    char c = 0, seen = 0;
    int ok = 1;
    for (int i = 0; i < 50; i++) {
        write(sv[0], &c, 1);
        read(sv[0], &seen, 1);
        ok &= seen == (char)(c + 1);
        c = (char)(seen + 1);
    }
    waitpid(pid, &st, 0);
    say("ping-pong ok %d child %s", ok, wstatus(st));
    for (int i = 0; i < 200; i++) {
        char b = (char)i;
        write(sv[0], &b, 1);
    }
    int good = 1, total = 0;
    char buf[7];
    while (total < 200) {
        ssize_t n = read(sv[1], buf, sizeof buf);
        if (n <= 0)
            break;
        for (int k = 0; k < n; k++)
            good &= buf[k] == (char)(total + k);
        total += n;
    }
    say("200 one-byte writes read in 7s: %d bytes in order %d", total, good);
    return 0;
}
