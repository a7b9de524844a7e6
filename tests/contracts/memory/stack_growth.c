/* The main thread's stack grows on demand: a child can use 4 MiB of it
 * under the default 8 MiB RLIMIT_STACK; with RLIMIT_STACK lowered to
 * 1 MiB the same growth kills it with SIGSEGV. */
#include "contract.h"
#include "memprobe.h"
#include <sys/resource.h>
#include <sys/wait.h>

static int __attribute__((noinline)) deep(int n)
{
    volatile char chunk[16384];
    chunk[0] = (char)n;
    chunk[sizeof chunk - 1] = (char)n;
    if (n == 0)
        return chunk[0];
    return deep(n - 1) + chunk[sizeof chunk - 1] - (char)n;
}

static const char *run(rlim_t limit, int chunks)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (limit) {
            struct rlimit rl;
            getrlimit(RLIMIT_STACK, &rl);
            rl.rlim_cur = limit;
            setrlimit(RLIMIT_STACK, &rl);
        }
        _exit(deep(chunks));
    }
    int st;
    waitpid(pid, &st, 0);
    return wstatus(st);
}

int main(void)
{
    say("4 MiB of stack, default limit: %s", run(0, 256));
    say("4 MiB of stack, 1 MiB limit: %s", run(1 << 20, 256));
    say("512 KiB of stack, 1 MiB limit: %s", run(1 << 20, 32));
    return 0;
}
