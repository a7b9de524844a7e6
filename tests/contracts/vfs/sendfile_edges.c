/* sendfile: with and without an offset pointer (the file position moves
 * only without one), counts past EOF, zero counts, into a pipe (fills what
 * fits and returns), from a pipe, O_APPEND output, unreadable input,
 * negative offsets. */
#include "contract.h"
#include "vfs.h"
#include <sys/sendfile.h>

static char big[200000];

int main(void)
{
    make_file("src", "0123456789abcdef", 0644);
    int in = open("src", O_RDONLY);
    int out = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
    off_t off = 4;
    SAY("with offset 4, count 6", sendfile(out, in, &off, 6));
    say("offset now %ld, input position %ld, output position %ld", (long)off, (long)lseek(in, 0, SEEK_CUR), (long)lseek(out, 0, SEEK_CUR));
    SAY("without offset, count 3", sendfile(out, in, NULL, 3));
    say("input position %ld", (long)lseek(in, 0, SEEK_CUR));
    SAY("count past EOF", sendfile(out, in, NULL, 100));
    SAY("at EOF", sendfile(out, in, NULL, 100));
    SAY("count 0", sendfile(out, in, NULL, 0));
    off = 100;
    SAY("offset past EOF", sendfile(out, in, &off, 5));
    off = -1;
    SAY("negative offset", sendfile(out, in, &off, 5));
    char buf[64] = {0};
    pread(out, buf, sizeof buf - 1, 0);
    say("output \"%s\"", buf);
    SAY("input not readable", sendfile(out, open("src", O_WRONLY), NULL, 5));
    SAY("output not writable", sendfile(in, in, NULL, 5));
    SAY("output O_APPEND", sendfile(open("dst", O_WRONLY | O_APPEND), open("src", O_RDONLY), NULL, 5));
    SAY("output a directory fd", sendfile(open(".", O_RDONLY), open("src", O_RDONLY), NULL, 5));
    SAY("input a directory", sendfile(out, open(".", O_RDONLY), NULL, 5));
    SAY("bad input fd", sendfile(out, 99, NULL, 5));
    SAY("offset pointer unreadable", sendfile(out, in, (off_t *)8, 5));

    int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, big, sizeof big);
    int p[2];
    pipe(p);
    off = 0;
    SAY("200000 bytes into an empty 64 KiB pipe", sendfile(p[1], fd, &off, sizeof big));
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    SAY("into a full non-blocking pipe", sendfile(p[1], fd, &off, 10));
    int q[2];
    pipe(q);
    write(q[1], "piped", 5);
    SAY("from a pipe", sendfile(out, q[0], NULL, 5));
    off = 0;
    SAY("from a pipe with an offset", sendfile(out, q[0], &off, 5));
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    off = 0;
    SAY("into a pipe with no reader", sendfile(p[1], fd, &off, 10));
    int dev = open("/dev/null", O_WRONLY);
    off = 0;
    SAY("into /dev/null", sendfile(dev, fd, &off, 1000));
    SAY("from /dev/zero", sendfile(out, open("/dev/zero", O_RDONLY), NULL, 100));
    return 0;
}
