/* Out of memory, deterministically: under RLIMIT_AS a process that keeps
 * allocating and touching memory sees malloc fail (mmap and brk give
 * ENOMEM) and goes on running, rather than being killed; the memory it
 * got is intact. The real exhaustion of physical memory (SIGKILL) is
 * tested in tests/c/oom.c inside Kevlar only. */
#include "contract.h"
#include "memprobe.h"
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define MIB (1UL << 20)

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl;
        getrlimit(RLIMIT_AS, &rl);
        rl.rlim_cur = 96 * MIB;
        setrlimit(RLIMIT_AS, &rl);
        char *chunks[256];
        int n = 0;
        while (n < 256) {
            char *c = malloc(MIB);
            if (!c)
                break;
            memset(c, n, MIB);
            chunks[n++] = c;
        }
        say("malloc failed before 256 MiB: %d", n < 256);
        say("got at least 64 MiB: %d", n >= 64);
        int bad = 0;
        for (int i = 0; i < n; i++)
            bad += chunks[i][0] != (char)i || chunks[i][MIB - 1] != (char)i;
        say("chunks intact: %d", bad == 0);
        errno = 0;
        void *p = mmap(0, 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        say("mmap 64 MiB: %s", p == MAP_FAILED ? errname(errno) : "mapped");
        for (int i = 0; i < n; i++)
            free(chunks[i]);
        p = malloc(32 * MIB);
        say("after freeing, 32 MiB malloc works: %d", p != NULL);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
