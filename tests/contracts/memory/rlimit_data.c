/* RLIMIT_DATA bounds private writable mappings (Linux counts them as
 * data), not shared or read-only ones; making a read-only private mapping
 * writable counts too. */
#include "contract.h"
#include "memprobe.h"
#include <sys/resource.h>

#define MIB (1UL << 20)

static void *try(const char *label, size_t len, int prot, int flags)
{
    errno = 0;
    void *p = mmap(0, len, prot, flags, -1, 0);
    say("%s: %s", label, p == MAP_FAILED ? errname(errno) : "mapped");
    return p;
}

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_DATA, &rl);
    rl.rlim_cur = 32 * MIB;
    OK("RLIMIT_DATA soft 32 MiB", setrlimit(RLIMIT_DATA, &rl));
    try("64 MiB private writable", 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    try("64 MiB private writable, NORESERVE", 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    void *ro = try("64 MiB private read-only", 64 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    try("64 MiB shared writable", 64 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    try("8 MiB private writable", 8 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("mprotect the 64 MiB read-only one to writable", mprotect(ro, 64 * MIB, PROT_READ | PROT_WRITE));
    SAY("mprotect 4 MiB of it to writable", mprotect(ro, 4 * MIB, PROT_READ | PROT_WRITE));
    say("malloc(64 MiB) fails: %d", malloc(64 * MIB) == NULL);
    rl.rlim_cur = RLIM_INFINITY;
    OK("RLIMIT_DATA back to infinity", setrlimit(RLIMIT_DATA, &rl));
    try("64 MiB private writable now", 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    return 0;
}
