/* Stream data: partial reads, writes coalescing, MSG_PEEK across writes,
 * MSG_DONTWAIT, MSG_WAITALL gathering writes from a child (ordered by a
 * pipe), readv/writev, lseek. */
#include "unixutil.h"
#include <sys/uio.h>

int main(void)
{
    int sv[2], p[2];
    char buf[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    SAY("write abc", write(sv[0], "abc", 3));
    SAY("write defgh", write(sv[0], "defgh", 5));
    SAY("peek 4", recv(sv[1], buf, 4, MSG_PEEK));
    say("peeked %.4s", buf);
    SAY("peek all", recv(sv[1], buf, sizeof buf, MSG_PEEK));
    say("peeked %.8s", buf);
    SAY("read 2", read(sv[1], buf, 2));
    SAY("read rest", read(sv[1], buf, sizeof buf));
    say("got %.6s", buf);
    SAY("dontwait empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    SAY("read 0 bytes", read(sv[1], buf, 0));
    struct iovec out[3] = { { "one", 3 }, { "", 0 }, { "three", 5 } };
    SAY("writev", writev(sv[0], out, 3));
    char a[2], b[10];
    struct iovec in[2] = { { a, 2 }, { b, 10 } };
    SAY("readv", readv(sv[1], in, 2));
    say("readv %.2s|%.6s", a, b);
    SAY("lseek", lseek(sv[0], 0, SEEK_SET));
    SAY("pread", pread(sv[0], buf, 1, 0));
    SAY("pwrite", pwrite(sv[0], buf, 1, 0));
    SAY("send with flags 0", send(sv[0], "z", 1, 0));
    SAY("recv", recv(sv[1], buf, sizeof buf, 0));
    /* MSG_WAITALL: the child writes in three parts, each after a go. */
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        for (int i = 0; i < 3; i++) {
            read(p[0], &go, 1);
            write(sv[0], "12345", 5);
        }
        _exit(0);
    }
    write(p[1], "ggg", 3);
    SAY("waitall 15", recv(sv[1], buf, 15, MSG_WAITALL));
    say("waitall %.15s", buf);
    int st;
    waitpid(pid, &st, 0);
    /* peek then waitall returns what is there */
    write(sv[0], "xy", 2);
    SAY("peek waitall", recv(sv[1], buf, 10, MSG_PEEK | MSG_WAITALL));
    SAY("drain", recv(sv[1], buf, 10, 0));
    /* a big write is delivered whole to a blocking reader loop */
    static char big[200000], back[200000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7);
    pid = fork();
    if (pid == 0) {
        _exit(write(sv[0], big, sizeof big) == sizeof big ? 0 : 1);
    }
    size_t got = 0;
    while (got < sizeof back) {
        ssize_t n = read(sv[1], back + got, sizeof back - got);
        if (n <= 0)
            break;
        got += n;
    }
    waitpid(pid, &st, 0);
    say("big: got %zu same %d writer %s", got, memcmp(big, back, sizeof big) == 0, wstatus(st));
    close(sv[0]);
    SAY("eof", read(sv[1], buf, sizeof buf));
    SAY("eof again", recv(sv[1], buf, sizeof buf, MSG_WAITALL));
    return 0;
}
