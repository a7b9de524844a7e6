/* mremap keeps what a mapping is: a moved MAP_SHARED file mapping still
 * stores into the file (and grows into the file's later pages), and a
 * moved private mapping whose pages are shared copy-on-write with a child
 * stays private on both sides. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[4 * 4096];
    memset(buf, 'f', sizeof buf);
    write(fd, buf, sizeof buf);
    char *m = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *blk = mmap(m + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    (void)blk;
    char *m2 = mremap(m, PG, 3 * PG, MREMAP_MAYMOVE);
    say("moved: %d", m2 != MAP_FAILED && m2 != m);
    m2[1] = 'A';
    m2[2 * PG + 1] = 'C';
    char r[2];
    pread(fd, r, 1, 1);
    pread(fd, r + 1, 1, 2 * PG + 1);
    say("file sees stores through moved mapping: %c %c", r[0], r[1]);
    pwrite(fd, "W", 1, PG);
    say("moved mapping sees write(): %c", m2[PG]);

    char *p = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 4; i++)
        p[i * PG] = 'p';
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        int ok = 1;
        for (int i = 0; i < 4; i++)
            ok &= p[i * PG] == 'p';
        say("child keeps the original pages: %d", ok);
        p[0] = 'c';
        write(done[1], "d", 1);
        _exit(0);
    }
    char *q = mremap(p, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, PLAYGROUND);
    say("parent moved its copy: %d", q == PLAYGROUND);
    for (int i = 0; i < 4; i++)
        q[i * PG] = 'P';
    write(go[1], "g", 1);
    char c;
    read(done[0], &c, 1);
    say("parent unaffected by child: %c", q[0]);
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
