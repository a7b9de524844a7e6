/* /proc/self/status identity lines follow setresuid/setresgid and
 * setgroups: Uid/Gid show real, effective, saved and fs ids; Groups the
 * supplementary list; PPid the parent. */
#include "procutil.h"
#include <grp.h>
#include <sys/wait.h>

static void show(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key)))
            printf("%s", line);
    fclose(f);
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        gid_t g[3] = { 7, 8, 9 };
        setgroups(3, g);
        setresgid(11, 12, 13);
        setresuid(21, 22, 23);
        show("Uid:");
        show("Gid:");
        show("Groups:");
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        int ppid = -1;
        while (fgets(line, sizeof line, f))
            sscanf(line, "PPid: %d", &ppid);
        say("PPid is parent %d", ppid == getppid());
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    return 0;
}
