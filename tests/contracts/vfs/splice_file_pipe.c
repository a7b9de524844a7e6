/* splice between files and pipes: offsets (used and updated, file
 * position untouched) or the file position, EOF, a pipe that fills, the
 * ESPIPE/EINVAL/EBADF rules, O_APPEND output, and SPLICE_F_MOVE/MORE
 * accepted as hints. */
#include "contract.h"
#include "vfs.h"
#include <sys/ioctl.h>

static char big[100000];

int main(void)
{
    make_file("src", "0123456789", 0644);
    int in = open("src", O_RDONLY);
    int p[2];
    pipe(p);
    loff_t off = 3;
    SAY("file -> pipe, offset 3, len 4", splice_(in, &off, p[1], NULL, 4, 0));
    say("offset now %ld, position %ld", (long)off, (long)lseek(in, 0, SEEK_CUR));
    SAY("file -> pipe, file position, len 2, MOVE|MORE", splice_(in, NULL, p[1], NULL, 2, SPLICE_F_MOVE | SPLICE_F_MORE));
    say("position %ld", (long)lseek(in, 0, SEEK_CUR));
    off = 8;
    SAY("file -> pipe past EOF", splice_(in, &off, p[1], NULL, 100, 0));
    off = 20;
    SAY("file -> pipe at EOF", splice_(in, &off, p[1], NULL, 100, 0));
    int ioctl_n = 0;
    ioctl(p[0], FIONREAD, &ioctl_n);
    say("bytes in pipe %d", ioctl_n);
    int out = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
    off = 5;
    SAY("pipe -> file at offset 5, len 3", splice_(p[0], NULL, out, &off, 3, 0));
    say("offset now %ld, output position %ld", (long)off, (long)lseek(out, 0, SEEK_CUR));
    SAY("pipe -> file position, len 100", splice_(p[0], NULL, out, NULL, 100, 0));
    say("output position %ld", (long)lseek(out, 0, SEEK_CUR));
    char buf[32] = {0};
    int n = pread(out, buf, sizeof buf, 0);
    for (int i = 0; i < n; i++)
        if (!buf[i])
            buf[i] = '.';
    say("output \"%.*s\"", n, buf);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    SAY("empty non-blocking pipe -> file", splice_(p[0], NULL, out, NULL, 10, 0));
    fcntl(p[0], F_SETFL, 0);
    SAY("empty pipe, SPLICE_F_NONBLOCK", splice_(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK));

    off = 0;
    SAY("offset on the pipe side (in)", splice_(p[0], &off, out, NULL, 1, 0));
    SAY("offset on the pipe side (out)", splice_(in, NULL, p[1], &off, 1, 0));
    SAY("file -> file", splice_(in, NULL, out, NULL, 1, 0));
    SAY("unknown flag", splice_(in, NULL, p[1], NULL, 1, 0x10));
    SAY("len 0", splice_(in, NULL, p[1], NULL, 0, 0x10));
    SAY("pipe -> O_APPEND file", (write(p[1], "q", 1), splice_(p[0], NULL, open("dst", O_WRONLY | O_APPEND), NULL, 1, 0)));
    SAY("read end as output", splice_(in, NULL, p[0], NULL, 1, 0));
    SAY("write end as input", splice_(p[1], NULL, out, NULL, 1, 0));
    SAY("write-only file as input", splice_(open("src", O_WRONLY), NULL, p[1], NULL, 1, 0));
    off = -1;
    SAY("negative offset", splice_(in, &off, p[1], NULL, 1, 0));
    SAY("offset pointer unreadable", splice_(in, (loff_t *)8, p[1], NULL, 1, 0));
    SAY("directory as input", splice_(open(".", O_RDONLY), NULL, p[1], NULL, 1, 0));
    SAY("bad fd", splice_(99, NULL, p[1], NULL, 1, 0));

    int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, big, sizeof big);
    int q[2];
    pipe(q);
    off = 0;
    SAY("100000 bytes into an empty 64 KiB pipe", splice_(fd, &off, q[1], NULL, sizeof big, 0));
    SAY("into the full pipe, SPLICE_F_NONBLOCK", splice_(fd, &off, q[1], NULL, 10, SPLICE_F_NONBLOCK));
    read(q[0], big, 4096);
    off = 100;
    SAY("unaligned offset into one free buffer", splice_(fd, &off, q[1], NULL, 8192, 0));
    close(q[0]);
    signal(SIGPIPE, SIG_IGN);
    SAY("into a pipe with no reader", splice_(fd, &off, q[1], NULL, 10, SPLICE_F_NONBLOCK));
    int r[2];
    pipe(r);
    close(r[1]);
    SAY("from a pipe with no writer", splice_(r[0], NULL, out, NULL, 10, 0));
    return 0;
}
