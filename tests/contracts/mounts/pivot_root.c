/* pivot_root(2): Linux's checks, then the new root in place and the old
 * one under put_old. */
#include "mnt.h"

static void pivot(void)
{
    if (unshare(CLONE_NEWNS) < 0)
        say("unshare failed");
    mkdir("t/new", 0755);
    SAY("new_root not a mount point", syscall(SYS_pivot_root, "t/new", "t/new"));
    mount("newroot", "t/new", "tmpfs", 0, NULL);
    mkdir("t/new/old", 0755);
    mkdir("t/new/proc", 0755);
    touch("t/new/marker");
    mkdir("t/elsewhere", 0755);
    SAY("put_old not under new_root", syscall(SYS_pivot_root, "t/new", "t/elsewhere"));
    SAY("put_old a file", syscall(SYS_pivot_root, "t/new", "t/new/marker"));
    SAY("new_root is the current root", syscall(SYS_pivot_root, "/", "t/new/old"));
    SAY("missing put_old", syscall(SYS_pivot_root, "t/new", "t/new/missing"));
    OK("pivot_root", syscall(SYS_pivot_root, "t/new", "t/new/old"));
    OK("chdir /", chdir("/"));
    SAY("marker at the new root", access("/marker", F_OK));
    SAY("old root under /old", access("/old", F_OK));
    struct statfs sf;
    statfs("/", &sf);
    say("root is tmpfs: %d", sf.f_type == 0x01021994);
    OK("detach the old root", umount2("/old", MNT_DETACH));
    OK("mount proc", mount("proc", "/proc", "proc", 0, NULL));
    FILE *f = fopen("/proc/self/mounts", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        say("mounts: %s", strtok(line, "\n"));
}

int main(void)
{
    isolate();
    say("child: %s", in_child(pivot));
    SAY("the parent does not see the child's mounts", access("t/new/marker", F_OK));
    SAY("the parent's root is untouched", access(scratch, F_OK));
    return 0;
}
