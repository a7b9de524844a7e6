/* What the memory devices do: /dev/null swallows and reads empty, /dev/zero
 * reads zeros and takes writes, /dev/full fails writes with ENOSPC and
 * reads zeros, the random devices fill whole buffers; seeking them
 * succeeds and does nothing; /dev/tty without a terminal is ENXIO. */
#include "contract.h"
#include <fcntl.h>
#include <sys/wait.h>

static int all_zero(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

int main(void)
{
    unsigned char buf[8192];
    int fd = open("/dev/null", O_RDWR);
    SAY("read(fd, buf, sizeof buf)", read(fd, buf, sizeof buf));
    SAY("write(fd, \"hello\", 5)", write(fd, "hello", 5));
    SAY("lseek(fd, 100, SEEK_SET)", lseek(fd, 100, SEEK_SET));
    SAY("lseek(fd, 0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR));
    SAY("pread(fd, buf, 10, 50)", pread(fd, buf, 10, 50));
    close(fd);

    fd = open("/dev/zero", O_RDWR);
    memset(buf, 0xaa, sizeof buf);
    SAY("read(fd, buf, sizeof buf)", read(fd, buf, sizeof buf));
    say("zero reads zeros: %d", all_zero(buf, sizeof buf));
    SAY("write(fd, buf, 100)", write(fd, buf, 100));
    SAY("lseek(fd, 4096, SEEK_SET)", lseek(fd, 4096, SEEK_SET));
    close(fd);

    fd = open("/dev/full", O_RDWR);
    SAY("write(fd, \"x\", 1)", write(fd, "x", 1));
    SAY("write(fd, \"\", 0)", write(fd, "", 0));
    memset(buf, 0xaa, sizeof buf);
    SAY("read(fd, buf, 300)", read(fd, buf, 300));
    say("full reads zeros: %d", all_zero(buf, 300));
    close(fd);

    fd = open("/dev/urandom", O_RDONLY);
    SAY("read(fd, buf, 4096)", read(fd, buf, 4096));
    say("urandom not all zero: %d", !all_zero(buf, 4096));
    SAY("urandom lseek", lseek(fd, 10, SEEK_SET));
    SAY("urandom pread", pread(fd, buf, 16, 100));
    SAY("write(open(\"/dev/urandom\", O_WRONLY), \"entropy\", 7)", write(open("/dev/urandom", O_WRONLY), "entropy", 7));
    close(fd);
    fd = open("/dev/random", O_RDONLY);
    SAY("read(fd, buf, 64)", read(fd, buf, 64));
    close(fd);

    /* /dev/tty is the caller's controlling terminal: none after setsid. */
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        int t = open("/dev/tty", O_RDWR);
        printf("/dev/tty in a new session: %s\n", t < 0 ? errname(errno) : "opened");
        _exit(0);
    }
    fflush(stdout);
    waitpid(pid, NULL, 0);
    return 0;
}
