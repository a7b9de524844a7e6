/* A page-fault storm: touch 256 MiB of fresh anonymous memory page by
 * page, then check every page's contents, rewrite it in reverse order,
 * check again, and give it back. Then the same through fork, where both
 * sides copy on write. */
#include "contract.h"
#include "memprobe.h"
#include <stdint.h>
#include <sys/wait.h>

#define LEN (256UL << 20)

int main(void)
{
    char *p = mmap(0, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mapped 256 MiB: %d", p != MAP_FAILED);
    size_t pages = LEN / PG;
    for (size_t i = 0; i < pages; i++)
        *(uint64_t *)(p + i * PG + (i % 512) * 8) = i * 0x9e3779b97f4a7c15ULL;
    size_t bad = 0, nonzero = 0;
    for (size_t i = 0; i < pages; i++) {
        uint64_t *w = (uint64_t *)(p + i * PG);
        for (size_t k = 0; k < 512; k++) {
            uint64_t want = k == i % 512 ? i * 0x9e3779b97f4a7c15ULL : 0;
            bad += w[k] != want;
            nonzero += w[k] != 0 && k != i % 512;
        }
    }
    say("pages: %zu, wrong words: %zu, stray non-zero words: %zu", pages, bad, nonzero);
    for (size_t i = pages; i-- > 0;)
        *(uint64_t *)(p + i * PG) = ~i;
    bad = 0;
    for (size_t i = 0; i < pages; i++)
        bad += *(uint64_t *)(p + i * PG) != ~i;
    say("reverse rewrite, wrong pages: %zu", bad);
    /* Fork: the child rewrites the first quarter, the parent checks its own. */
    pid_t pid = fork();
    if (pid == 0) {
        size_t cbad = 0;
        for (size_t i = 0; i < pages / 4; i++) {
            cbad += *(uint64_t *)(p + i * PG) != ~i;
            *(uint64_t *)(p + i * PG) = i;
        }
        for (size_t i = 0; i < pages / 4; i++)
            cbad += *(uint64_t *)(p + i * PG) != i;
        _exit(cbad ? 1 : 0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    bad = 0;
    for (size_t i = 0; i < pages; i++)
        bad += *(uint64_t *)(p + i * PG) != ~i;
    say("parent after child, wrong pages: %zu", bad);
    SAY("munmap", munmap(p, LEN));
    /* The memory came back: map and touch it once more. */
    p = mmap(0, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 1, LEN);
    say("second round: %d", p[LEN - 1]);
    return 0;
}
