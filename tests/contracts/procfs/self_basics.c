/* /proc/self: the link names the caller, stat/status/comm/cmdline show it. */
#include "contract.h"
#include <fcntl.h>
#include <sys/prctl.h>

static int slurp(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    int n = 0, r;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(fd);
    return n;
}

static const char *field(const char *text, const char *key)
{
    static char v[128];
    const char *p = strstr(text, key);
    if (!p)
        return "(missing)";
    p += strlen(key);
    while (*p == ' ' || *p == '\t')
        p++;
    int i = 0;
    while (p[i] && p[i] != '\n' && i < 127) {
        v[i] = p[i];
        i++;
    }
    v[i] = 0;
    return v;
}

int main(int argc, char **argv)
{
    char link[64], buf[8192];
    int n = readlink("/proc/self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    say("/proc/self names me: %d", atoi(link) == getpid());
    prctl(PR_SET_NAME, "procfs-test");
    slurp("/proc/self/comm", buf, sizeof buf);
    say("comm: %s", strtok(buf, "\n"));
    slurp("/proc/self/status", buf, sizeof buf);
    say("status Name: %s", field(buf, "Name:"));
    say("status State: %s", field(buf, "State:"));
    say("status Pid matches: %d", atoi(field(buf, "\nPid:")) == getpid());
    say("status PPid matches: %d", atoi(field(buf, "PPid:")) == getppid());
    say("status Uid: %s", field(buf, "Uid:"));
    say("status Threads: %s", field(buf, "Threads:"));
    slurp("/proc/self/stat", buf, sizeof buf);
    char *close_paren = strrchr(buf, ')');
    char state;
    int ppid, pgrp, session;
    sscanf(close_paren + 2, "%c %d %d %d", &state, &ppid, &pgrp, &session);
    say("stat: comm field '%.*s'", (int)(close_paren - strchr(buf, '(') - 1), strchr(buf, '(') + 1);
    say("stat: state %c ppid ok %d pgrp ok %d session ok %d", state, ppid == getppid(), pgrp == getpgrp(), session == getsid(0));
    n = slurp("/proc/self/cmdline", buf, sizeof buf);
    int args = 0;
    for (int i = 0; i < n; i++)
        args += buf[i] == 0;
    say("cmdline: %d NUL-terminated strings, first is argv[0]: %d", args, strcmp(buf, argv[0]) == 0);
    (void)argc;
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    const char *base = strrchr(buf, '/');
    say("exe basename: %s", base ? base + 1 : buf);
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    char cwd[512];
    getcwd(cwd, sizeof cwd);
    say("cwd link matches getcwd: %d", strcmp(buf, cwd) == 0);
    n = readlink("/proc/self/root", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    say("root link: %s", buf);
    SAY("open /proc/self/exe for reading", open("/proc/self/exe", O_RDONLY) >= 0);
    return 0;
}
