/* /proc/self/stat and /proc/self/task/TID/stat: 52 fields, the command in
 * parentheses (even with spaces and parentheses in it), state, parent,
 * group, session, thread count, and the memory and fault fields being
 * plausible. */
#include "contract.h"
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static char line[4096];

/* Reads a stat file; returns the fields after the command, split. */
static int fields(const char *path, char **f, int max, char *comm, size_t commlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return -1;
    }
    fclose(fp);
    char *open = strchr(line, '('), *close = strrchr(line, ')');
    snprintf(comm, commlen, "%.*s", (int)(close - open - 1), open + 1);
    int n = 2; /* pid and comm */
    for (char *t = strtok(close + 2, " \n"); t && n - 2 < max; t = strtok(NULL, " \n"))
        f[n++ - 2] = t;
    return n;
}

static void *sleeper(void *a)
{
    (void)a;
    pause();
    return NULL;
}

int main(void)
{
    char *f[64], comm[64];
    prctl(PR_SET_NAME, "a (b) c");
    int n = fields("/proc/self/stat", f, 64, comm, sizeof comm);
    say("fields: %d", n);
    say("comm: %s", comm);
    say("state: %s", f[0]);
    say("ppid matches: %d", atoi(f[1]) == getppid());
    say("pgrp matches: %d", atoi(f[2]) == getpgrp());
    say("session matches: %d", atoi(f[3]) == getsid(0));
    say("num_threads: %s", f[17]);
    /* Linux's rss reads per-CPU counters that lag (it can show 0 for a
     * small process), so only its form is compared. */
    say("vsize > 0: %d, rss is a count: %d", atol(f[20]) > 0, f[21][0] >= '0' && f[21][0] <= '9');
    say("minflt > 0: %d", atol(f[7]) > 0);
    say("exit_signal: %s", f[35]);
    say("rt_priority %s policy %s", f[37], f[38]);

    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    usleep(10000);
    n = fields("/proc/self/stat", f, 64, comm, sizeof comm);
    say("num_threads with a thread: %s", f[17]);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", (long)syscall(SYS_gettid));
    n = fields(path, f, 64, comm, sizeof comm);
    say("task stat fields: %d, comm %s, state %s", n, comm, f[0]);
    return 0;
}
