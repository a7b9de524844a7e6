/* /proc/PID for another process: its directory exists while it lives (and
 * as a zombie), task/ lists its threads, status follows its state. */
#include "contract.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *status_field(pid_t pid, const char *key)
{
    static char buf[4096];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return strcpy(buf, errname(errno));
    int n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    char *p = strstr(buf, key);
    if (!p)
        return "(missing)";
    p += strlen(key);
    while (*p == '\t' || *p == ' ')
        p++;
    *strchr(p, '\n') = 0;
    return p;
}

int main(void)
{
    int fd[2];
    pipe(fd);
    pid_t p = fork();
    if (p == 0) {
        char c;
        read(fd[0], &c, 1);
        _exit(0);
    }
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d", p);
    SAY("stat /proc/PID", stat(path, &st));
    say("it is a directory: %d", S_ISDIR(st.st_mode));
    for (int i = 0; i < 200 && strncmp(status_field(p, "State:"), "S", 1) != 0; i++)
        usleep(10000);
    say("child state while blocked: %s", status_field(p, "State:"));
    snprintf(path, sizeof path, "/proc/%d/task/%d", p, p);
    SAY("task/PID exists", stat(path, &st));
    kill(p, SIGSTOP);
    siginfo_t si;
    waitid(P_PID, p, &si, WSTOPPED);
    say("after SIGSTOP: %s", status_field(p, "State:"));
    kill(p, SIGKILL);
    waitid(P_PID, p, &si, WEXITED | WNOWAIT);
    say("as a zombie: %s", status_field(p, "State:"));
    waitpid(p, 0, 0);
    snprintf(path, sizeof path, "/proc/%d", p);
    SAY("after reaping", stat(path, &st));
    SAY("/proc/0 does not exist", stat("/proc/0", &st));
    return 0;
}
