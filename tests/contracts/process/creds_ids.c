/* The set*id family: what a privileged process may set, and what an
 * unprivileged one may not. */
#include "contract.h"
#include <sys/fsuid.h>
#include <sys/wait.h>

static void ids(const char *label)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    say("%s: uid %u/%u/%u gid %u/%u/%u fsuid %d", label, r, e, s, gr, ge, gs, setfsuid(-1));
}

int main(void)
{
    ids("start");
    pid_t p = fork();
    if (p == 0) {
        SAY("setresgid(100,101,102)", setresgid(100, 101, 102));
        SAY("setresuid(1000,1001,1002)", setresuid(1000, 1001, 1002));
        ids("after setres");
        SAY("setuid(0) unprivileged", setuid(0));
        SAY("seteuid(1002) (saved)", seteuid(1002));
        ids("after seteuid");
        SAY("setresuid(-1,1000,-1)", setresuid(-1, 1000, -1));
        SAY("setresuid(5,-1,-1) not permitted", setresuid(5, -1, -1));
        SAY("setreuid(1001,1000)", setreuid(1001, 1000));
        ids("after setreuid");
        SAY("setgid(0) unprivileged", setgid(0));
        SAY("setgroups unprivileged", setgroups(0, 0));
        SAY("setfsuid(7) unprivileged ->old", setfsuid(7));
        ids("after setfsuid");
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    p = fork();
    if (p == 0) {
        SAY("setuid(1234) as root", setuid(1234));
        ids("after setuid");
        SAY("setuid(0) back", setuid(0));
        _exit(0);
    }
    waitpid(p, &st, 0);
    gid_t groups[4] = {10, 20, 5, 7};
    SAY("setgroups(4)", setgroups(4, groups));
    gid_t got[8];
    int n = getgroups(8, got);
    say("getgroups: %d:", n);
    for (int i = 0; i < n; i++)
        say("  group %u", got[i]);
    SAY("getgroups(0) counts", getgroups(0, 0));
    SAY("getgroups too small", getgroups(1, got));
    SAY("setgroups(0) clears", setgroups(0, 0));
    SAY("getgroups now", getgroups(0, 0));
    return 0;
}
