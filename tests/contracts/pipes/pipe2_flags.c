/* pipe2 flags: O_CLOEXEC on both descriptors, O_NONBLOCK on both open
 * files, O_DIRECT packet mode (each write is a packet; a short read
 * discards the rest of its packet; writes larger than PIPE_BUF are split
 * into PIPE_BUF packets), anything else EINVAL. fstat shows a FIFO. */
#include "contract.h"
#include "../events/events.h"
#include <sys/stat.h>

int main(void)
{
    int p[2];
    SAY("pipe2 with a bad flag", pipe2(p, O_APPEND));
    SAY("pipe2 with O_TRUNC", pipe2(p, O_TRUNC));
    OK("pipe2(O_CLOEXEC|O_NONBLOCK)", pipe2(p, O_CLOEXEC | O_NONBLOCK));
    say("FD_CLOEXEC: %d %d", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
    say("read end flags: %#o", fcntl(p[0], F_GETFL));
    say("write end flags: %#o", fcntl(p[1], F_GETFL));
    struct stat st;
    fstat(p[0], &st);
    say("fstat: fifo %d, mode %o, size %ld", S_ISFIFO(st.st_mode), st.st_mode & 07777, (long)st.st_size);
    struct stat st2;
    fstat(p[1], &st2);
    say("both ends share an inode: %d", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    close(p[0]);
    close(p[1]);

    OK("pipe2(O_DIRECT)", pipe2(p, O_DIRECT));
    say("read end has O_DIRECT: %d", (fcntl(p[0], F_GETFL) & O_DIRECT) != 0);
    write(p[1], "hello", 5);
    write(p[1], "world!", 6);
    char b[8192];
    SAY("read 3 of a 5-byte packet", read(p[0], b, 3));
    SAY("next read gets the next packet", read(p[0], b, sizeof b));
    say("  it is: %.6s", b);
    static char big[5000];
    memset(big, 'q', sizeof big);
    SAY("write 5000 in packet mode", write(p[1], big, sizeof big));
    SAY("first packet", read(p[0], b, sizeof b));
    SAY("second packet", read(p[0], b, sizeof b));
    close(p[0]);
    close(p[1]);

    /* O_DIRECT can also be set and cleared with F_SETFL. */
    pipe(p);
    fcntl(p[1], F_SETFL, O_DIRECT);
    write(p[1], "ab", 2);
    write(p[1], "cd", 2);
    fcntl(p[1], F_SETFL, 0);
    write(p[1], "ef", 2);
    write(p[1], "gh", 2);
    SAY("read 1 from packet ab", read(p[0], b, 1));
    SAY("read 10 gets packet cd", read(p[0], b, 10));
    SAY("read 10 gets efgh merged", read(p[0], b, 10));
    return 0;
}
