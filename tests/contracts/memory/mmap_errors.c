/* mmap's argument errors, each from mmap(2): zero length, unaligned
 * offset, no or two mapping types, bad descriptors, a descriptor not open
 * for reading, a shared writable mapping of a read-only descriptor,
 * unknown flags under MAP_SHARED_VALIDATE, offsets that overflow, files
 * that cannot be mapped. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/stat.h>

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static void try(const char *label, void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    errno = 0;
    void *p = mmap(addr, len, prot, flags, fd, off);
    if (p == MAP_FAILED)
        say("%s: %s", label, errname(errno));
    else {
        say("%s: mapped", label);
        munmap(p, len);
    }
}

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[8192] = {0};
    write(fd, buf, sizeof buf);
    int ro = open("f", O_RDONLY);
    int wo = open("f", O_WRONLY);
    int ap = open("f", O_RDWR | O_APPEND);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int pfd[2];
    pipe(pfd);
    int path = open("f", O_PATH);

    try("length 0 anonymous", 0, 0, RW, ANON, -1, 0);
    try("length 0 file", 0, 0, PROT_READ, MAP_SHARED, fd, 0);
    try("unaligned offset", 0, PG, PROT_READ, MAP_SHARED, fd, 100);
    try("unaligned offset anonymous", 0, PG, RW, ANON, -1, 100);
    try("neither shared nor private", 0, PG, RW, MAP_ANONYMOUS, -1, 0);
    try("type 0x0f", 0, PG, RW, 0x0f | MAP_ANONYMOUS, -1, 0);
    try("unknown prot bit", 0, PG, 0x10 | PROT_READ, ANON, -1, 0);
    try("bad descriptor", 0, PG, PROT_READ, MAP_SHARED, 999, 0);
    try("negative descriptor", 0, PG, PROT_READ, MAP_PRIVATE, -1, 0);
    try("closed descriptor", 0, PG, PROT_READ, MAP_PRIVATE, 998, 0);
    try("write-only descriptor, private read", 0, PG, PROT_READ, MAP_PRIVATE, wo, 0);
    try("write-only descriptor, shared write", 0, PG, PROT_WRITE, MAP_SHARED, wo, 0);
    try("read-only descriptor, shared read", 0, PG, PROT_READ, MAP_SHARED, ro, 0);
    try("read-only descriptor, shared write", 0, PG, RW, MAP_SHARED, ro, 0);
    try("read-only descriptor, private write", 0, PG, RW, MAP_PRIVATE, ro, 0);
    try("append descriptor, shared write", 0, PG, RW, MAP_SHARED, ap, 0);
    try("append descriptor, shared read", 0, PG, PROT_READ, MAP_SHARED, ap, 0);
    try("O_PATH descriptor", 0, PG, PROT_READ, MAP_PRIVATE, path, 0);
    try("directory", 0, PG, PROT_READ, MAP_PRIVATE, dir, 0);
    try("pipe", 0, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0);
    try("MAP_SHARED_VALIDATE file, known flags", 0, PG, RW, MAP_SHARED_VALIDATE | MAP_POPULATE, fd, 0);
    try("MAP_SHARED_VALIDATE file, unknown flag", 0, PG, RW, MAP_SHARED_VALIDATE | 0x800000, fd, 0);
    try("MAP_SHARED_VALIDATE file, MAP_SYNC", 0, PG, RW, MAP_SHARED_VALIDATE | 0x80000, fd, 0);
    try("MAP_SHARED_VALIDATE anonymous", 0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
    try("MAP_SHARED with unknown flag", 0, PG, RW, MAP_SHARED | 0x800000, fd, 0);
    try("MAP_PRIVATE with unknown flag", 0, PG, RW, ANON | 0x800000, -1, 0);
    try("offset beyond EOF (mapping allowed)", 0, PG, PROT_READ, MAP_SHARED, fd, 16 * PG);
    try("offset + length overflows", 0, 2 * PG, PROT_READ, MAP_SHARED, fd, (off_t)0x7ffffffffffff000LL);
    try("negative offset", 0, PG, PROT_READ, MAP_SHARED, fd, (off_t)-4096);
    try("length rounds past 2^64", 0, (size_t)-1, RW, ANON, -1, 0);
    try("length 2^63", 0, (size_t)1 << 63, RW, ANON, -1, 0);
    try("length beyond user space", 0, (size_t)1 << 48, RW, ANON | MAP_NORESERVE, -1, 0);
    try("MAP_HUGETLB (no huge pages reserved)", 0, 2 << 20, RW, ANON | MAP_HUGETLB, -1, 0);
    try("MAP_ANONYMOUS ignores a bad fd", 0, PG, RW, ANON, 999, 0);
    try("MAP_ANONYMOUS with an offset", 0, PG, RW, ANON, -1, 4 * PG);
    try("MAP_SHARED anonymous with MAP_GROWSDOWN", 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    return 0;
}
