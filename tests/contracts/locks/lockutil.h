/* Helpers shared by the lock contracts. */
#ifndef LOCKUTIL_H
#define LOCKUTIL_H
#include "contract.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

/* fcntl lock command on [start, start+len) from `whence`. */
__attribute__((unused)) static int lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

/* What F_GETLK (or F_OFD_GETLK) says of a `type` request on the range:
 * "none" or "R|W start len pid=<who>" where who is self/child/-1/other. */
__attribute__((unused)) static const char *getlk(int fd, int cmd, short type, off_t start, off_t len, pid_t child)
{
    static char buf[96];
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    if (fcntl(fd, cmd, &fl) < 0) {
        snprintf(buf, sizeof buf, "-1 %s", errname(errno));
        return buf;
    }
    if (fl.l_type == F_UNLCK)
        return "none";
    const char *who = fl.l_pid == -1 ? "-1" : fl.l_pid == getpid() ? "self" : fl.l_pid == child ? "child" : "other";
    snprintf(buf, sizeof buf, "%s start=%ld len=%ld whence=%d pid=%s", fl.l_type == F_WRLCK ? "W" : "R",
             (long)fl.l_start, (long)fl.l_len, fl.l_whence, who);
    return buf;
}

/* Waits until process `pid` sleeps (state S in /proc/PID/stat): used to
 * know that a child is blocked in a lock call before acting on it. */
__attribute__((unused)) static void wait_sleeping(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = 0;
            char *p = strrchr(buf, ')');
            if (p && p[1] == ' ' && p[2] == 'S')
                return;
        }
        sched_yield();
    }
}

/* A byte map of the locks another process sees on bytes [0, n): one
 * character per byte, '.' free, 'R' or 'W'. Forks a prober. */
__attribute__((unused)) static void lock_map(const char *label, const char *path, int n)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t c = fork();
    if (c == 0) {
        int fd = open(path, O_RDWR);
        char map[128];
        for (int i = 0; i < n && i < 127; i++) {
            struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = i, .l_len = 1 };
            fcntl(fd, F_GETLK, &fl);
            map[i] = fl.l_type == F_UNLCK ? '.' : fl.l_type == F_WRLCK ? 'W' : 'R';
        }
        map[n] = 0;
        write(p[1], map, n + 1);
        _exit(0);
    }
    close(p[1]);
    char map[128] = "";
    read(p[0], map, sizeof map);
    close(p[0]);
    waitpid(c, 0, 0);
    say("%s: %s", label, map);
}
#endif
