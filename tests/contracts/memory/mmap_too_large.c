/* A private writable mapping larger than all memory fails with ENOMEM
 * (Linux's default heuristic overcommit refuses a single request larger
 * than RAM plus swap; the host and Kevlar's 1 GiB guest both have far less
 * than 1 TiB), MAP_NORESERVE lifts that, read-only or shared read-only
 * mappings are not charged, and the address-space size is the last word. */
#include "contract.h"
#include "memprobe.h"

#define TIB (1UL << 40)

static void try(const char *label, size_t len, int prot, int flags)
{
    errno = 0;
    void *p = mmap(0, len, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        say("%s: %s", label, errname(errno));
    else {
        say("%s: mapped", label);
        munmap(p, len);
    }
}

int main(void)
{
    try("1 TiB private writable", TIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    try("1 TiB private writable, MAP_NORESERVE", TIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    try("1 TiB private read-only", TIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    try("1 TiB PROT_NONE", TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    try("1 TiB shared writable", TIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    try("1 TiB shared writable, MAP_NORESERVE", TIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE);
    try("200 TiB, MAP_NORESERVE", 200 * TIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    /* A reserved-but-untouched 1 TiB mapping costs nothing and works. */
    char *p = mmap(0, TIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    say("touch first page of 1 TiB: %s", probe_write(p, 1));
    say("touch last page of 1 TiB: %s", probe_write(p + TIB - 1, 2));
    say("touch middle: %s", probe_read(p + TIB / 2));
    SAY("munmap 1 TiB", munmap(p, TIB));
    /* mprotect making a big read-only private mapping writable is charged
     * like mmap. */
    p = mmap(0, TIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("mprotect 1 TiB to writable", mprotect(p, TIB, PROT_READ | PROT_WRITE));
    return 0;
}
