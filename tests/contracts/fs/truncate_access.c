/* truncate/ftruncate (grow with zeros, shrink, errors) and
 * access/faccessat/faccessat2 (real vs effective ids). */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    write(fd, "abcdef", 6);
    SAY("ftruncate shrink", ftruncate(fd, 3));
    SAY("ftruncate grow", ftruncate(fd, 8));
    char buf[16];
    int n = pread(fd, buf, sizeof buf, 0);
    say("read %d bytes, tail zero %d", n, buf[3] == 0 && buf[7] == 0);
    SAY("truncate by path", truncate("f", 1));
    struct stat st;
    stat("f", &st);
    say("size %ld", (long)st.st_size);
    SAY("truncate negative", truncate("f", -1));
    mkdir("d", 0755);
    SAY("truncate a dir", truncate("d", 0));
    int ro = open("f", O_RDONLY);
    SAY("ftruncate read-only fd", ftruncate(ro, 0));
    SAY("truncate missing", truncate("missing", 0));
    SAY("access F_OK", access("f", F_OK));
    SAY("access X_OK on 0644 as root", access("f", X_OK));
    SAY("access bad mode", access("f", 8));
    chmod("f", 0600);
    chmod(".", 0777);
    pid_t p = fork();
    if (p == 0) {
        setresuid(1000, 0, 0); /* real 1000, effective root */
        SAY("access (real uid) R_OK", access("f", R_OK));
        SAY("faccessat AT_EACCESS R_OK", faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
        SAY("faccessat2 AT_SYMLINK_NOFOLLOW", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, AT_SYMLINK_NOFOLLOW));
        SAY("faccessat2 bad flags", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x4));
        _exit(0);
    }
    waitpid(p, 0, 0);
    return 0;
}
