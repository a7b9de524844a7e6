/* Sockets across execve: SOCK_CLOEXEC ones close, others survive and
 * still work (the new image writes through an inherited socket). */
#include "unixutil.h"

int main(int argc, char **argv)
{
    if (argc == 3) {
        int keep = atoi(argv[1]), gone = atoi(argv[2]);
        int ok = fcntl(keep, F_GETFD) >= 0 && fcntl(gone, F_GETFD) < 0;
        write(keep, ok ? "Y" : "N", 1);
        return 0;
    }
    int sv[2], c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = fork();
    if (pid == 0) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", sv[0]);
        snprintf(b, sizeof b, "%d", c);
        execl("/proc/self/exe", argv[0], a, b, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    char r = '?';
    read(sv[1], &r, 1);
    say("exec'd image: %s, inherited socket works and cloexec one closed: %c", wstatus(st), r);
    return 0;
}
