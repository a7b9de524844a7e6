/* brk grows and shrinks the heap: sbrk(0) reports the break, new heap
 * memory reads as zero and is writable, a shrink unmaps the pages above
 * the new break (SIGSEGV), and growing again gives fresh zero pages. The
 * raw system call returns the break now in effect. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>

static char *raw_brk(void *p) { return (char *)syscall(SYS_brk, p); }

int main(void)
{
    char *b0 = raw_brk(0);
    say("sbrk(0) equals brk(0): %d", sbrk(0) == (void *)b0);
    char *top = b0 + 1024 * 1024;
    char *b1 = raw_brk(top);
    say("grow by 1 MiB: break moved: %d", b1 == top);
    say("sbrk(0) follows: %d", sbrk(0) == (void *)top);
    say("first new byte reads: %s", probe_read(b0));
    say("last new byte reads: %s", probe_read(top - 1));
    memset(b0, 0x5a, top - b0);
    say("store to heap: %s", probe_write(top - 1, 0x5a));

    /* Shrink to one page past the old break (page-aligned). */
    char *keep = (char *)(((unsigned long)b0 + PG - 1) & ~(PG - 1)) + PG;
    say("shrink: break moved: %d", raw_brk(keep) == keep);
    say("kept page keeps data: %s", probe_read(keep - 1));
    say("page above new break: %s", probe_read(keep + PG));
    say("grow again: break moved: %d", raw_brk(top) == top);
    say("re-grown page reads zero: %s", probe_read(keep + PG));
    say("shrink back to start: %d", raw_brk(b0) == b0);
    return 0;
}
