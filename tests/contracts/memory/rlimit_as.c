/* RLIMIT_AS bounds the address space: an mmap that would take the total
 * past it fails with ENOMEM (nothing is mapped), whatever the protection
 * or sharing; MAP_FIXED over existing pages counts only the new ones;
 * mremap growth is bounded too; the mapping-at-a-time loop ends with
 * ENOMEM, not with a crash. */
#include "contract.h"
#include "memprobe.h"
#include <sys/resource.h>

#define MIB (1UL << 20)

static void try(const char *label, void *addr, size_t len, int prot, int flags)
{
    errno = 0;
    void *p = mmap(addr, len, prot, flags, -1, 0);
    say("%s: %s", label, p == MAP_FAILED ? errname(errno) : "mapped");
}

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_AS, &rl);
    rl.rlim_cur = 64 * MIB;
    OK("RLIMIT_AS soft 64 MiB", setrlimit(RLIMIT_AS, &rl));
    try("128 MiB private", 0, 128 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    try("128 MiB PROT_NONE", 0, 128 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    try("128 MiB shared", 0, 128 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    try("16 MiB at a fixed place", PLAYGROUND, 16 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
    try("16 MiB MAP_FIXED over it again", PLAYGROUND, 16 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    try("48 MiB more", 0, 48 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    errno = 0;
    void *g = mremap(PLAYGROUND, 16 * MIB, 80 * MIB, MREMAP_MAYMOVE);
    say("mremap 16 -> 80 MiB: %s", g == MAP_FAILED ? errname(errno) : "grown");
    int n = 0;
    for (;;) {
        void *p = mmap(0, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            break;
        *(char *)p = 1;
        n++;
    }
    say("1 MiB loop ended with: %s", errname(errno));
    say("at least 16 and at most 48 more: %d", n >= 16 && n <= 48);
    say("malloc(128 MiB) fails: %d", malloc(128 * MIB) == NULL);
    SAY("munmap the fixed 16 MiB", munmap(PLAYGROUND, 16 * MIB));
    try("16 MiB again after munmap", 0, 16 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    rl.rlim_cur = RLIM_INFINITY;
    OK("RLIMIT_AS back to infinity", setrlimit(RLIMIT_AS, &rl));
    try("128 MiB private now", 0, 128 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    return 0;
}
