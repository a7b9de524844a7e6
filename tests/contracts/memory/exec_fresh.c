/* execve gives the program a fresh address space: the caller's mappings
 * and heap are gone in the new program, and a parent's shared mapping is
 * untouched by its child's exec. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        /* The new program: the playground page the old one mapped is free. */
        char *p = map_at(PLAYGROUND, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        say("exec'd: playground free again: %d", p == PLAYGROUND);
        say("exec'd: fresh page reads: %s", probe_read(p));
        char *b = (char *)syscall(SYS_brk, 0);
        say("exec'd: heap starts empty: %s", probe_read(b + PG));
        return 0;
    }
    char *p = map_at(PLAYGROUND, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    p[0] = 'o';
    char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 's';
    char *b = (char *)syscall(SYS_brk, 0);
    syscall(SYS_brk, b + 64 * PG);
    pid_t pid = fork();
    if (pid == 0) {
        s[0] = 'c';
        execl(argv[0], argv[0], "again", (char *)0);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    say("parent's page: %c, shared: %c", p[0], s[0]);
    return 0;
}
