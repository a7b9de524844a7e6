/* readv and writev on pipes: a readv returns once some data came, even
 * when the data exactly fills the first iovec (it does not wait for the
 * next); writev is one write (atomic up to PIPE_BUF, merged like one);
 * a read larger than 64 KiB from a 1 MiB pipe returns what is there. */
#include "contract.h"
#include "../events/events.h"
#include <sys/uio.h>

int main(void)
{
    int p[2];
    pipe(p);
    write(p[1], "abcd", 4);
    char a[4], b[4];
    struct iovec iv[2] = {{a, 4}, {b, 4}};
    SAY("readv with data for the first iovec only", readv(p[0], iv, 2));
    write(p[1], "efghij", 6);
    SAY("readv across both", readv(p[0], iv, 2));
    say("  %.4s %.2s", a, b);
    struct iovec wv[3] = {{"12", 2}, {"345", 3}, {"6", 1}};
    SAY("writev of three pieces", writev(p[1], wv, 3));
    char buf[16];
    SAY("one read gets them all", read(p[0], buf, sizeof buf));
    say("  %.6s", buf);
    close(p[0]);
    close(p[1]);

    /* writev of two 3000-byte pieces into a pipe with one free page:
     * 6000 bytes are more than PIPE_BUF, so they may split. */
    pipe2(p, O_NONBLOCK);
    static char page[4096], big[3000];
    for (int i = 0; i < 15; i++)
        write(p[1], page, sizeof page);
    struct iovec two[2] = {{big, 3000}, {big, 3000}};
    SAY("writev 6000 with one page free", writev(p[1], two, 2));
    close(p[0]);
    close(p[1]);

    pipe(p);
    SAY("F_SETPIPE_SZ 1 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
    static char chunk[100000];
    SAY("write 100000", write(p[1], chunk, sizeof chunk));
    static char sink[1 << 20];
    SAY("read up to 1 MiB", read(p[0], sink, sizeof sink));
    write(p[1], chunk, 70000);
    struct iovec rv[2] = {{sink, 65536}, {sink + 65536, 65536}};
    SAY("readv of two 64 KiB iovecs, 70000 queued", readv(p[0], rv, 2));
    return 0;
}
