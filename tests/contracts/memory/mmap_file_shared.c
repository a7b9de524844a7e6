/* A MAP_SHARED store to a file mapping is the file's content at once:
 * read() sees it before any msync, it survives munmap and close, and
 * write() to the file is seen through the mapping. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[3 * 4096];
    memset(buf, 'a', sizeof buf);
    write(fd, buf, sizeof buf);
    char *p = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("mapped: %d", p != MAP_FAILED);
    say("mapping shows file: %d", p[0] == 'a' && p[3 * PG - 1] == 'a');
    memcpy(p + 10, "shared!", 7);
    p[2 * PG + 5] = 'Z';
    char r[16] = {0};
    pread(fd, r, 7, 10);
    say("read() sees store at once: %s", r);
    pread(fd, r, 1, 2 * PG + 5);
    say("third page store: %c", r[0]);
    pwrite(fd, "WRITE", 5, PG);
    say("mapping sees write(): %.5s", p + PG);
    SAY("munmap", munmap(p, 3 * PG));
    close(fd);
    fd = open("f", O_RDONLY);
    memset(r, 0, sizeof r);
    pread(fd, r, 7, 10);
    say("after munmap and close: %s", r);
    struct stat st;
    fstat(fd, &st);
    say("size unchanged: %ld", (long)st.st_size);
    /* A second mapping of the same file sees the same pages. */
    int fd2 = open("f", O_RDWR);
    char *m1 = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    char *m2 = mmap(0, PG, PROT_READ, MAP_SHARED, fd, 0);
    m1[0] = 'X';
    say("second mapping sees first's store: %c", m2[0]);
    return 0;
}
