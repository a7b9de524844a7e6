/* /proc/PID/task: one directory per thread, each with its own stat,
 * status and comm; a thread's comm is its own; /proc/self/task lists
 * exactly the live threads; /proc/thread-self names the calling thread. */
#include "procutil.h"
#include <dirent.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static int ready[2], go[2];
static pid_t worker_tid;

static void *worker(void *a)
{
    (void)a;
    prctl(PR_SET_NAME, "worker");
    worker_tid = (pid_t)syscall(SYS_gettid);
    write(ready[1], "x", 1);
    char c;
    read(go[0], &c, 1);
    return NULL;
}

static int count_tasks(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int main(void)
{
    prctl(PR_SET_NAME, "leader");
    say("tasks alone: %d", count_tasks());
    pipe(ready);
    pipe(go);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    char c;
    read(ready[0], &c, 1);
    say("tasks with a thread: %d", count_tasks());
    char path[128];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)worker_tid);
    say("worker comm: %s", get(path));
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)getpid());
    say("leader comm: %s", get(path));
    say("process comm: %s", get("/proc/self/comm"));
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)worker_tid);
    FILE *f = fopen(path, "r");
    char line[256];
    int tgid = -1, pid = -1;
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "Tgid: %d", &tgid);
        sscanf(line, "Pid: %d", &pid);
    }
    if (f)
        fclose(f);
    say("worker status: Tgid is the process %d, Pid is the thread %d", tgid == getpid(), pid == worker_tid);
    snprintf(path, sizeof path, "/proc/%d", (int)worker_tid);
    struct stat st;
    say("/proc/TID of a thread reachable: %d", stat(path, &st) == 0);
    char link[64];
    ssize_t n = readlink("/proc/thread-self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    char want[64];
    snprintf(want, sizeof want, "%d/task/%d", (int)getpid(), (int)getpid());
    say("thread-self names the calling thread: %d", !strcmp(link, want));
    write(go[1], "x", 1);
    pthread_join(t, NULL);
    say("tasks after join: %d", count_tasks());
    snprintf(path, sizeof path, "/proc/self/task/%d", (int)worker_tid);
    say("joined thread's dir: %s", stat(path, &st) == 0 ? "present" : errname(errno));
    return 0;
}
