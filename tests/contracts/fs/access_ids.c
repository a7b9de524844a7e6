/* access(2) checks with the real ids, faccessat2 with AT_EACCESS uses
 * the effective ones; root's X_OK needs some x bit; F_OK ignores mode. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long fa2(const char *p, int mode, int flags) { return syscall(SYS_faccessat2, AT_FDCWD, p, mode, flags); }

int main(void)
{
    chmod(".", 0777);
    close(open("rootonly", O_CREAT | O_WRONLY, 0600));
    chmod("rootonly", 0600);
    close(open("noexec", O_CREAT | O_WRONLY, 0644));
    chmod("noexec", 0644);
    close(open("oneexec", O_CREAT | O_WRONLY, 0644));
    chmod("oneexec", 0010);
    SAY("root X_OK no x bits", access("noexec", X_OK));
    SAY("root X_OK one x bit", access("oneexec", X_OK));
    SAY("root R_OK|W_OK on 0010", access("oneexec", R_OK | W_OK));
    pid_t pid = fork();
    if (pid == 0) {
        setresuid(1000, 0, 0);
        SAY("real 1000, effective 0: access", access("rootonly", R_OK));
        SAY("faccessat2 AT_EACCESS", fa2("rootonly", R_OK, AT_EACCESS));
        SAY("faccessat2 plain", fa2("rootonly", R_OK, 0));
        SAY("F_OK", access("rootonly", F_OK));
        SAY("bad mode", access("rootonly", 8));
        SAY("bad flags", fa2("rootonly", R_OK, 0x1000));
        SAY("AT_SYMLINK_NOFOLLOW", fa2("rootonly", F_OK, AT_SYMLINK_NOFOLLOW));
        SAY("AT_EMPTY_PATH", fa2("", F_OK, AT_EMPTY_PATH));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    return 0;
}
