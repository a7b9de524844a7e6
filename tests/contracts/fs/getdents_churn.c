/* getdents64 over a large directory while entries are added and removed:
 * every entry present for the whole scan is returned exactly once,
 * whatever the buffer size. */
#include "contract.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

struct d64 { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };

static int seen[3000];

static void scan(int bufsize, const char *label)
{
    memset(seen, 0, sizeof seen);
    int dir = open("big", O_RDONLY | O_DIRECTORY);
    char *buf = malloc(bufsize);
    int calls = 0, step = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buf, bufsize);
        if (n <= 0) {
            if (n < 0)
                say("%s: error %s", label, errname(errno));
            break;
        }
        calls++;
        for (long off = 0; off < n;) {
            struct d64 *d = (struct d64 *)(buf + off);
            if (d->name[0] == 'k')
                seen[atoi(d->name + 1)]++;
            off += d->reclen;
        }
        /* Churn: add new entries and remove ones not in the stable set. */
        char name[32];
        snprintf(name, sizeof name, "big/new%d_%d", bufsize, step);
        close(open(name, O_CREAT | O_WRONLY, 0644));
        snprintf(name, sizeof name, "big/t%d", step++);
        unlink(name);
    }
    int missing = 0, twice = 0;
    for (int i = 0; i < 1500; i++) {
        missing += seen[i] == 0;
        twice += seen[i] > 1;
    }
    say("%s: stable entries missing %d, repeated %d, more than one call %d", label, missing, twice, calls > 1);
    free(buf);
    close(dir);
}

int main(void)
{
    mkdir("big", 0755);
    char name[32];
    for (int i = 0; i < 1500; i++) {
        snprintf(name, sizeof name, "big/k%d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "big/t%d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    scan(4096, "4 KiB buffer");
    scan(100, "100-byte buffer");
    scan(65536, "64 KiB buffer");
    char tiny[10];
    int dir = open("big", O_RDONLY | O_DIRECTORY);
    SAY("buffer too small for one entry", syscall(SYS_getdents64, dir, tiny, sizeof tiny));
    int f = open("big/k1", O_RDONLY);
    SAY("getdents64 on a file", syscall(SYS_getdents64, f, tiny, sizeof tiny));
    return 0;
}
