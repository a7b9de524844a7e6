/* truncate/ftruncate: growing reads zeros, shrinking then growing does
 * not resurrect data, EINVAL on negative sizes and O_RDONLY descriptors,
 * EISDIR, EBADF on O_PATH, EACCES without write permission. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void)
{
    chmod(".", 0777);
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdef", 6);
    SAY("grow", ftruncate(fd, 10));
    char b[16] = { 0 };
    pread(fd, b, sizeof b, 0);
    say("bytes %d %d %d %d (6..9 zero)", b[6], b[7], b[8], b[9]);
    ftruncate(fd, 2);
    ftruncate(fd, 6);
    memset(b, 'X', sizeof b);
    SAY("read after shrink+grow", pread(fd, b, sizeof b, 0));
    say("bytes %c%c %d %d", b[0], b[1], b[2], b[5]);
    SAY("negative", ftruncate(fd, -1));
    SAY("path negative", truncate("f", -1));
    int ro = open("f", O_RDONLY);
    SAY("O_RDONLY fd", ftruncate(ro, 0));
    int p = open("f", O_PATH);
    SAY("O_PATH fd", ftruncate(p, 0));
    mkdir("d", 0755);
    SAY("dir", truncate("d", 0));
    int dfd = open("d", O_RDONLY);
    SAY("dir fd", ftruncate(dfd, 0));
    SAY("missing", truncate("nope", 0));
    SAY("pipe", ({ int pp[2]; pipe(pp); ftruncate(pp[1], 0); }));
    struct stat st;
    fstat(fd, &st);
    say("size %ld", (long)st.st_size);
    chmod("f", 0644);
    pid_t pid = fork();
    if (pid == 0) {
        setuid(1000);
        SAY("no write permission", truncate("f", 0));
        SAY("ftruncate of inherited rw fd", ftruncate(fd, 3));
        _exit(0);
    }
    int s;
    waitpid(pid, &s, 0);
    fstat(fd, &st);
    say("size %ld", (long)st.st_size);
    int ap = open("f", O_WRONLY | O_APPEND);
    SAY("O_APPEND fd", ftruncate(ap, 1));
    SAY("huge", ftruncate(fd, 0x7fffffffffffffffLL));
    return 0;
}
