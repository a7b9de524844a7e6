/*
 * leak.c: fork, exec and wait many times; the free memory the kernel
 * reports (sysinfo) must come back to where it was. Catches pages, kernel
 * stacks or page tables leaked per process (a bug that once starved an
 * earlier kernel of memory after ~130 forks).
 *
 * On Kevlar the tolerance is tight (the machine runs nothing else); on the
 * host Linux, where other processes and the page cache move free memory,
 * only a gross leak would fail.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvtest.h"

static long free_kib(void)
{
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        return -1;
    return (long)(si.freeram * si.mem_unit / 1024);
}

/* One child: touch memory (stack, heap, an mmap), exec a program, exit. */
static int cycle(const char *self, int exec_it)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *p = mmap(0, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            memset(p, 1, 64 * 1024);
        if (exec_it) {
            execl(self, self, "--child", (char *)0);
            _exit(126);
        }
        _exit(0);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--child") == 0)
        return 0;
    struct utsname u;
    uname(&u);
    int on_kevlar = strstr(u.release, "kevlar") != 0;
    long tolerance_kib = on_kevlar ? 512 : 64 * 1024;

    int errors = 0;
    for (int i = 0; i < 30; i++) /* warm up caches and the kernel heap */
        errors += cycle(argv[0], i & 1) != 0;
    long before = free_kib();
    for (int i = 0; i < 300; i++)
        errors += cycle(argv[0], i & 1) != 0;
    long after = free_kib();

    char d[160];
    printf("leak: free memory %ld KiB before, %ld KiB after 300 cycles\n", before, after);
    snprintf(d, sizeof d, "%d cycles failed", errors);
    check("fork-exec-wait-cycles", errors == 0, "%s", d);
    snprintf(d, sizeof d, "free memory fell by %ld KiB over 300 cycles (tolerance %ld KiB)", before - after, tolerance_kib);
    check("no-leak-per-process", before > 0 && before - after <= tolerance_kib, "%s", d);
    return summary();
}
