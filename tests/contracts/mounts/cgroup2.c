/* cgroup2: mounting the unified hierarchy, making and removing groups,
 * moving a process (and what /proc/PID/cgroup then says), inheritance by
 * fork, limits on descendants, cgroup.kill, the interface files a group
 * has, and the errors for what cannot be done. Works in a group of its
 * own below the hierarchy's root and leaves nothing behind. */
#include "mnt.h"

static char buf[4096];

static const char *readf(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(buf, sizeof buf, "<%s>", errname(errno));
        return buf;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static const char *writef(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return errname(errno);
    ssize_t n = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    return n < 0 ? errname(e) : "ok";
}

/* The value of `key` in a "key value" file, or -1. */
static long keyed(const char *path, const char *key)
{
    readf(path);
    char *p = strstr(buf, key);
    return p ? atol(p + strlen(key) + 1) : -1;
}

static int has_line(const char *text, long value)
{
    char want[32];
    snprintf(want, sizeof want, "%ld\n", value);
    size_t n = strlen(want);
    for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
        if (!strncmp(l, want, n))
            return 1;
        if (!strchr(l, '\n'))
            break;
    }
    return 0;
}

/* /proc/self/cgroup's v2 line is "0::" followed by `path`. */
static int in_group(const char *path)
{
    char want[256];
    snprintf(want, sizeof want, "0::%s\n", path);
    readf("/proc/self/cgroup");
    return strstr(buf, want) != NULL;
}

int main(void)
{
    isolate();
    mkdir("t/cg", 0755);
    if (mount("cgroup2", "t/cg", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        say("mount cgroup2: %s", errname(errno));
        return 0;
    }
    struct statfs sf;
    statfs("t/cg", &sf);
    say("magic is CGROUP2_SUPER_MAGIC: %d", sf.f_type == 0x63677270);
    struct minfo m;
    say("mountinfo type %s", find_mount("t/cg", &m) ? m.type : "?");
    say("mount with a bad option: %s", mount("cgroup2", "t/cg", "cgroup2", 0, "bogus") < 0 ? errname(errno) : "ok");

    /* Our own group below the root, named after our pid. */
    char name[64], g[128], path[256];
    snprintf(name, sizeof name, "kvtest-%d", (int)getpid());
    snprintf(g, sizeof g, "t/cg/%s", name);
    say("mkdir group: %s", mkdir(g, 0755) < 0 ? errname(errno) : "ok");
    say("mkdir again: %s", mkdir(g, 0755) < 0 ? errname(errno) : "ok");
    const char *files[] = { "cgroup.controllers", "cgroup.events", "cgroup.freeze", "cgroup.kill", "cgroup.max.depth",
                            "cgroup.max.descendants", "cgroup.procs", "cgroup.stat", "cgroup.subtree_control",
                            "cgroup.threads", "cgroup.type", "cpu.stat" };
    for (unsigned i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", g, files[i]);
        struct stat st;
        say("%s: %s", files[i], stat(path, &st) < 0 ? errname(errno) : (st.st_mode & 0222) ? "rw" : "ro");
    }
    snprintf(path, sizeof path, "%s/cgroup.type", g);
    say("type: %s", readf(path));
    snprintf(path, sizeof path, "%s/cgroup.events", g);
    say("populated before: %ld", keyed(path, "populated"));
    snprintf(path, sizeof path, "%s/cgroup.max.descendants", g);
    say("max.descendants: %s", readf(path));
    snprintf(path, sizeof path, "%s/cgroup.stat", g);
    say("nr_descendants: %ld", keyed(path, "nr_descendants"));
    snprintf(path, sizeof path, "%s/cgroup.procs", g);
    say("procs empty: %d", readf(path)[0] == 0);

    /* Join it. */
    say("join with pid 0: %s", writef(path, "0"));
    snprintf(path, sizeof path, "/%s", name);
    say("/proc/self/cgroup names it: %d", in_group(path));
    snprintf(path, sizeof path, "%s/cgroup.procs", g);
    say("procs lists me: %d", has_line(readf(path), getpid()));
    snprintf(path, sizeof path, "%s/cgroup.threads", g);
    say("threads lists me: %d", has_line(readf(path), getpid()));
    snprintf(path, sizeof path, "%s/cgroup.events", g);
    say("populated after: %ld", keyed(path, "populated"));
    snprintf(path, sizeof path, "%s/cpu.stat", g);
    say("cpu.stat keys: usage %d user %d system %d", keyed(path, "usage_usec") >= 0, keyed(path, "user_usec") >= 0,
        keyed(path, "system_usec") >= 0);
    say("rmdir while a member: %s", rmdir(g) < 0 ? errname(errno) : "ok");
    snprintf(path, sizeof path, "%s/cgroup.procs", g);
    say("move a pid that does not exist: %s", writef(path, "999999"));
    say("move garbage: %s", writef(path, "abc"));

    /* A child process starts in our group. */
    int p[2];
    pipe(p);
    pid_t kid = fork();
    if (kid == 0) {
        char me[256];
        snprintf(me, sizeof me, "/%s", name);
        char c = '0' + in_group(me);
        write(p[1], &c, 1);
        _exit(0);
    }
    char c = '?';
    read(p[0], &c, 1);
    waitpid(kid, NULL, 0);
    say("forked child inherits the group: %c", c);

    /* Controllers: none can be enabled (memory is not available here). */
    snprintf(path, sizeof path, "%s/cgroup.subtree_control", g);
    say("enable +memory: %s", writef(path, "+memory"));
    say("enable +bogus: %s", writef(path, "+bogus"));
    say("disable -memory: %s", writef(path, "-memory"));
    snprintf(path, sizeof path, "%s/cgroup.threads", g);
    say("write cgroup.threads: %s", writef(path, "0"));
    snprintf(path, sizeof path, "%s/cgroup.controllers", g);
    say("write cgroup.controllers: %s", writef(path, "cpu"));

    /* Descendant limits. */
    char a[192], b[192], d[192];
    snprintf(path, sizeof path, "%s/cgroup.max.descendants", g);
    say("set max.descendants 1: %s", writef(path, "1"));
    say("max.descendants now: %s", readf(path));
    snprintf(a, sizeof a, "%s/a", g);
    snprintf(b, sizeof b, "%s/b", g);
    say("mkdir a: %s", mkdir(a, 0755) < 0 ? errname(errno) : "ok");
    say("mkdir b over the limit: %s", mkdir(b, 0755) < 0 ? errname(errno) : "ok");
    say("set max.descendants max: %s", writef(path, "max"));
    snprintf(path, sizeof path, "%s/cgroup.max.depth", g);
    say("set max.depth 1: %s", writef(path, "1"));
    snprintf(d, sizeof d, "%s/a/deeper", g);
    say("mkdir below the depth: %s", mkdir(d, 0755) < 0 ? errname(errno) : "ok");
    say("mkdir b within the depth: %s", mkdir(b, 0755) < 0 ? errname(errno) : "ok");
    snprintf(path, sizeof path, "%s/cgroup.stat", g);
    say("nr_descendants: %ld", keyed(path, "nr_descendants"));
    snprintf(path, sizeof path, "%s/newfile", g);
    say("create a file: %s", open(path, O_CREAT | O_WRONLY, 0644) < 0 ? errname(errno) : "ok");
    snprintf(path, sizeof path, "%s/cgroup.procs", g);
    say("unlink an interface file: %s", unlink(path) < 0 ? errname(errno) : "ok");

    /* cgroup.kill: a process moved into a kills with SIGKILL. */
    pipe(p);
    kid = fork();
    if (kid == 0) {
        char ap[256];
        snprintf(ap, sizeof ap, "%s/cgroup.procs", a);
        char c = writef(ap, "0")[0];
        write(p[1], &c, 1);
        for (;;)
            pause();
    }
    read(p[0], &c, 1);
    say("child moved into a: %d", c == 'o');
    snprintf(path, sizeof path, "%s/cgroup.kill", a);
    say("write 2 to cgroup.kill: %s", writef(path, "2"));
    say("write 1 to cgroup.kill: %s", writef(path, "1"));
    int st;
    waitpid(kid, &st, 0);
    say("child killed by %s", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? "SIGKILL" : "something else");

    /* Back to the root, then tidy up. */
    say("back to the root: %s", writef("t/cg/cgroup.procs", "0"));
    say("/proc/self/cgroup back at /: %d", in_group("/"));
    say("rmdir a: %s", rmdir(a) < 0 ? errname(errno) : "ok");
    say("rmdir b: %s", rmdir(b) < 0 ? errname(errno) : "ok");
    say("rmdir group: %s", rmdir(g) < 0 ? errname(errno) : "ok");
    say("gone: %d", access(g, F_OK) < 0 && errno == ENOENT);
    say("umount: %s", umount("t/cg") < 0 ? errname(errno) : "ok");
    return 0;
}
