/* Copy-on-write after fork: private memory (anonymous, heap, stack, data)
 * starts equal in parent and child, and a store on either side is seen by
 * that side only, in both orders, over many pages. */
#include "contract.h"
#include "memprobe.h"
#include <sys/wait.h>

static char data_seg[3 * 4096] = "initialised";
#define N 64

int main(void)
{
    char *a = mmap(0, N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *h = malloc(20000);
    char stack[8192];
    for (int i = 0; i < N; i++)
        a[i * PG] = 'P';
    memset(h, 'P', 20000);
    memset(stack, 'P', sizeof stack);
    data_seg[5000] = 'P';
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    pid_t pid = fork();
    char c;
    if (pid == 0) {
        int ok = 1;
        for (int i = 0; i < N; i++)
            ok &= a[i * PG] == 'P';
        say("child sees parent's pages: %d", ok && h[19999] == 'P' && stack[8000] == 'P' && data_seg[5000] == 'P');
        /* Child writes the even pages. */
        for (int i = 0; i < N; i += 2)
            a[i * PG] = 'C';
        h[0] = 'C';
        stack[0] = 'C';
        data_seg[5000] = 'C';
        write(to_parent[1], "1", 1);
        read(to_child[0], &c, 1);
        /* Parent wrote the odd pages meanwhile. */
        int mine = 1, theirs = 1;
        for (int i = 0; i < N; i++) {
            if (i % 2 == 0)
                mine &= a[i * PG] == 'C';
            else
                theirs &= a[i * PG] == 'P';
        }
        say("child keeps its stores: %d", mine && h[0] == 'C' && stack[0] == 'C' && data_seg[5000] == 'C');
        say("child does not see parent's later stores: %d", theirs && h[1] == 'P');
        _exit(0);
    }
    read(to_parent[0], &c, 1);
    int untouched = 1;
    for (int i = 0; i < N; i++)
        untouched &= a[i * PG] == 'P';
    say("parent does not see child's stores: %d", untouched && h[0] == 'P' && stack[0] == 'P' && data_seg[5000] == 'P');
    for (int i = 1; i < N; i += 2)
        a[i * PG] = 'Q';
    h[1] = 'Q';
    write(to_child[1], "2", 1);
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    int ok = 1;
    for (int i = 0; i < N; i++)
        ok &= a[i * PG] == (i % 2 ? 'Q' : 'P');
    say("parent's pages after the child exits: %d", ok);
    /* The parent, now sole owner again, can still write everything. */
    memset(a, 'Z', N * PG);
    say("parent writes after child exit: %d", a[N * PG - 1] == 'Z');
    return 0;
}
