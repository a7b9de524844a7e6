/* Helpers shared by the mount contracts. Every contract first isolates
 * itself in a private mount namespace, then works in a tmpfs "t" it
 * mounts in its scratch directory, so what it prints does not depend on
 * the host's mounts. */
#ifndef MNT_H
#define MNT_H
#include "contract.h"
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char scratch[PATH_MAX];

/* unshare(CLONE_NEWNS), make everything private, mount tmpfs on t. */
static void isolate(void)
{
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        say("cannot isolate: %s", errname(errno));
        exit(1);
    }
    getcwd(scratch, sizeof scratch);
    mkdir("t", 0755);
    if (mount("scratch", "t", "tmpfs", 0, NULL) < 0) {
        say("cannot mount t: %s", errname(errno));
        exit(1);
    }
}

__attribute__((unused)) static void touch(const char *p)
{
    close(open(p, O_CREAT | O_WRONLY, 0644));
}

/* The mountinfo line of the topmost mount on `rel` (relative to the
 * scratch directory), split into fields; returns 0 if none. */
struct minfo {
    int id, parent, major, minor;
    char root[256], point[256], opts[256], optional[256], type[64], source[256], super[256];
};

__attribute__((unused)) static int find_mount(const char *rel, struct minfo *out)
{
    char want[PATH_MAX], line[2048];
    snprintf(want, sizeof want, "%s/%s", scratch, rel);
    FILE *f = fopen("/proc/self/mountinfo", "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        struct minfo m;
        char rest[1024];
        if (sscanf(line, "%d %d %d:%d %255s %255s %255s %1023[^\n]", &m.id, &m.parent, &m.major, &m.minor, m.root, m.point,
                   m.opts, rest) != 8)
            continue;
        if (strcmp(m.point, want) != 0)
            continue;
        char *sep = strstr(rest, "- ");
        if (!sep)
            continue;
        int n = sep - rest;
        snprintf(m.optional, sizeof m.optional, "%.*s", n > 0 ? n - 1 : 0, rest);
        if (sscanf(sep + 2, "%63s %255s %255s", m.type, m.source, m.super) != 3)
            continue;
        *out = m;
        found = 1;
    }
    if (f)
        fclose(f);
    return found;
}

/* Prints the deterministic fields of the mount on `rel`. */
__attribute__((unused)) static void show_mount(const char *rel)
{
    struct minfo m;
    if (!find_mount(rel, &m)) {
        say("%s: not a mount point", rel);
        return;
    }
    say("%s: root=%s opts=%s optional=[%s] type=%s source=%s super=%s", rel, m.root, m.opts, m.optional, m.type, m.source,
        m.super);
}

__attribute__((unused)) static int mount_id(const char *rel)
{
    struct minfo m;
    return find_mount(rel, &m) ? m.id : -1;
}

/* Runs f in a child process (its own copy of nothing: same namespace),
 * returning its exit status text. */
__attribute__((unused)) static const char *in_child(void (*f)(void))
{
    pid_t c = fork();
    if (c == 0) {
        f();
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    return wstatus(st);
}
#endif
