/* /dev/zero mappings: MAP_PRIVATE gives zero-filled copy-on-write memory
 * (a child's stores stay in the child, nothing reaches the device);
 * MAP_SHARED gives memory shared across fork, like MAP_SHARED|MAP_ANONYMOUS. */
#include "contract.h"
#include "memprobe.h"
#include <fcntl.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("/dev/zero", O_RDWR);
    char *p = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *s = mmap(0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("mapped: %d %d", p != MAP_FAILED, s != MAP_FAILED);
    say("zero: %d %d", p[0] == 0 && p[4 * PG - 1] == 0, s[0] == 0 && s[4 * PG - 1] == 0);
    p[0] = 'p';
    s[0] = 's';
    char z = 1;
    read(fd, &z, 1);
    say("device still reads zero: %d", z);
    /* A second private mapping is independent. */
    char *p2 = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    say("second private mapping: %d", p2[0]);
    /* A second shared mapping is a new object too. */
    char *s2 = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("second shared mapping: %d", s2[0]);
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        say("child sees: %c %c", p[0], s[0]);
        p[0] = 'C';
        s[0] = 'C';
        s[3 * PG] = 'T';
        p[PG] = 'C';
        write(go[1], "x", 1);
        _exit(0);
    }
    char c;
    read(go[0], &c, 1);
    say("parent private: %c %d", p[0], p[PG]);
    say("parent shared: %c %c", s[0], s[3 * PG]);
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    /* Read-only descriptor: shared writable mapping is refused. */
    int ro = open("/dev/zero", O_RDONLY);
    errno = 0;
    char *r = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    say("shared writable on O_RDONLY /dev/zero: %s", r == MAP_FAILED ? errname(errno) : "mapped");
    r = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    say("private writable on O_RDONLY /dev/zero: %s", r == MAP_FAILED ? errname(errno) : "mapped");
    /* /dev/null cannot be mapped. */
    int nul = open("/dev/null", O_RDWR);
    r = mmap(0, PG, PROT_READ, MAP_PRIVATE, nul, 0);
    say("/dev/null: %s", r == MAP_FAILED ? errname(errno) : "mapped");
    return 0;
}
