/* Memory and scheduling figures of getrusage and /proc: ru_maxrss follows
 * the resident set (and survives munmap), ru_minflt counts one fault per
 * page touched, RUSAGE_CHILDREN takes the largest waited-for child and
 * leaves out children reaped because SIGCHLD is ignored, a blocking wait
 * is a voluntary context switch, and /proc/self/status and statm show the
 * resident set. Figures vary between kernels, so only relations print. */
#include "contract.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define MIB (1024 * 1024)

static long self_maxrss(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss;
}

static long children_maxrss(void)
{
    struct rusage r;
    getrusage(RUSAGE_CHILDREN, &r);
    return r.ru_maxrss;
}

/* A field of /proc/self/status in kB, or -1. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':')
            v = atol(line + n + 1);
    fclose(f);
    return v;
}

static long statm_resident_pages(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = -1, res = -1;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &res) != 2)
            res = -1;
        fclose(f);
    }
    return res;
}

/* Maps and touches `mib` MiB, returns the mapping. */
static char *touch(size_t mib)
{
    char *p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    for (size_t i = 0; i < mib * MIB; i += 4096)
        p[i] = 1;
    return p;
}

int main(void)
{
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    long rss0 = status_kb("VmRSS");
    long statm0 = statm_resident_pages();
    char *p = touch(16);
    getrusage(RUSAGE_SELF, &r1);
    say("16 MiB touched: %d", p != NULL);
    /* ru_maxrss also covers the image before execve (the runner's), so
     * only its floor after the touch is the same everywhere. */
    say("maxrss >= 16 MiB: %d", r1.ru_maxrss >= 16 * 1024);
    say("minflt grew by >= 4096: %d", r1.ru_minflt - r0.ru_minflt >= 4096);
    say("minflt grew by < 8192: %d", r1.ru_minflt - r0.ru_minflt < 8192);
    long rss1 = status_kb("VmRSS");
    say("VmRSS grew by >= 15 MiB: %d", rss1 - rss0 >= 15 * 1024);
    say("VmHWM >= VmRSS: %d", status_kb("VmHWM") >= rss1);
    say("statm resident grew by >= 3840 pages: %d", statm_resident_pages() - statm0 >= 3840);
    munmap(p, 16 * MIB);
    say("VmRSS fell back after munmap: %d", status_kb("VmRSS") < rss1 - 15 * 1024);
    say("maxrss kept after munmap: %d", self_maxrss() >= r1.ru_maxrss);

    /* RUSAGE_CHILDREN survives execve too (a runner such as timeout(1)
     * may have waited for a helper before exec'ing us), so the children
     * part runs in a fresh child whose figures start at zero. */
    pid_t top = fork();
    if (top != 0) {
        int tst;
        waitpid(top, &tst, 0);
        say("children part exited: %d", WIFEXITED(tst) && WEXITSTATUS(tst) == 0);
        return 0;
    }
    say("children maxrss before any child: %ld", children_maxrss());
    pid_t c = fork();
    if (c == 0) {
        touch(32);
        _exit(0);
    }
    int st;
    struct rusage cr;
    wait4(c, &st, 0, &cr);
    say("wait4 maxrss >= 32 MiB: %d", cr.ru_maxrss >= 32 * 1024);
    say("wait4 minflt >= 8192: %d", cr.ru_minflt >= 8192);
    long kids = children_maxrss();
    say("children maxrss >= 32 MiB: %d", kids >= 32 * 1024);

    c = fork();
    if (c == 0) {
        touch(4);
        _exit(0);
    }
    wait4(c, &st, 0, NULL);
    say("smaller child leaves the maximum: %d", children_maxrss() == kids);

    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    signal(SIGCHLD, SIG_IGN);
    c = fork();
    if (c == 0) {
        touch(64);
        _exit(0);
    }
    say("auto-reaped child: wait fails %d", wait(NULL) == -1 && errno == ECHILD);
    signal(SIGCHLD, SIG_DFL);
    getrusage(RUSAGE_CHILDREN, &after);
    say("auto-reaped child not counted: maxrss %d minflt %d", after.ru_maxrss == before.ru_maxrss,
        after.ru_minflt == before.ru_minflt);

    getrusage(RUSAGE_THREAD, &r0);
    int fds[2];
    pipe(fds);
    c = fork();
    if (c == 0) {
        usleep(20000);
        write(fds[1], "x", 1);
        _exit(0);
    }
    char b;
    read(fds[0], &b, 1);
    getrusage(RUSAGE_THREAD, &r1);
    say("blocking read counts a voluntary switch: %d", r1.ru_nvcsw > r0.ru_nvcsw);
    say("thread maxrss is the process's: %d", r1.ru_maxrss >= 16 * 1024);
    waitpid(c, &st, 0);
    return 0;
}
