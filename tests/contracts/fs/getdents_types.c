/* getdents64: d_type for every kind of file, "." and ".." first, the
 * offset cursor (lseek back to a saved d_off resumes there), rewind,
 * EINVAL for a buffer too small for one entry, ENOTDIR on a file. */
#include "contract.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

struct d64 { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };

int main(void)
{
    mkdir("d", 0755);
    close(open("d/reg", O_CREAT | O_WRONLY, 0644));
    mkdir("d/sub", 0755);
    symlink("reg", "d/lnk");
    mknod("d/fifo", S_IFIFO | 0644, 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "d/sock" };
    bind(s, (struct sockaddr *)&a, sizeof a);
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[4096];
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    int count = 0;
    long saved = 0;
    const char *order[16];
    int t_reg = -1, t_sub = -1, t_lnk = -1, t_fifo = -1, t_sock = -1;
    for (long at = 0; at < n;) {
        struct d64 *e = (struct d64 *)(buf + at);
        if (count < 2)
            say("entry %d: %s type %d", count, e->name, e->type);
        else if (strcmp(e->name, "reg") == 0) t_reg = e->type;
        else if (strcmp(e->name, "sub") == 0) t_sub = e->type;
        else if (strcmp(e->name, "lnk") == 0) t_lnk = e->type;
        else if (strcmp(e->name, "fifo") == 0) t_fifo = e->type;
        else if (strcmp(e->name, "sock") == 0) t_sock = e->type;
        if (count == 2)
            saved = e->off;
        order[count++ % 16] = e->name;
        at += e->reclen;
    }
    say("types: reg %d sub %d lnk %d fifo %d sock %d", t_reg, t_sub, t_lnk, t_fifo, t_sock);
    say("entries %d", count);
    SAY("end of directory", syscall(SYS_getdents64, fd, buf, sizeof buf));
    lseek(fd, saved, SEEK_SET);
    n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    int rest = 0;
    for (long at = 0; at < n; at += ((struct d64 *)(buf + at))->reclen)
        rest++;
    say("resumed after the third: %d left", rest);
    lseek(fd, 0, SEEK_SET);
    SAY("tiny buffer", syscall(SYS_getdents64, fd, buf, 10));
    SAY("one entry fits", syscall(SYS_getdents64, fd, buf, 24) > 0);
    int f = open("d/reg", O_RDONLY);
    SAY("on a file", syscall(SYS_getdents64, f, buf, sizeof buf));
    SAY("bad fd", syscall(SYS_getdents64, 99, buf, sizeof buf));
    SAY("bad buffer", syscall(SYS_getdents64, fd, (char *)8, sizeof buf));
    (void)order;
    return 0;
}
