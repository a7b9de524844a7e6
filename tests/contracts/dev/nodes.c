/* The device nodes every Linux system has: type, numbers and modes of
 * /dev/null, zero, full, random, urandom, tty, console and ptmx; the
 * /dev/fd and stdio links; /dev/shm and /dev/pts. */
#include "contract.h"
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

static void node(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        say("%s: %s", path, errname(errno));
        return;
    }
    say("%s: %s %u:%u mode %04o", path, S_ISCHR(st.st_mode) ? "char" : S_ISBLK(st.st_mode) ? "block" : "other",
        major(st.st_rdev), minor(st.st_rdev), st.st_mode & 07777);
}

int main(void)
{
    const char *nodes[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                            "/dev/tty", "/dev/console", "/dev/ptmx" };
    for (unsigned i = 0; i < sizeof nodes / sizeof *nodes; i++)
        node(nodes[i]);
    say_link("/dev/fd ->", "/dev/fd");
    say_link("/dev/stdin ->", "/dev/stdin");
    say_link("/dev/stdout ->", "/dev/stdout");
    say_link("/dev/stderr ->", "/dev/stderr");
    struct stat st;
    stat("/dev/shm", &st);
    say("/dev/shm: dir %d mode %04o", S_ISDIR(st.st_mode), st.st_mode & 07777);
    struct statfs sf;
    statfs("/dev/shm", &sf);
    say("/dev/shm is tmpfs: %d", sf.f_type == 0x01021994);
    statfs("/dev/pts", &sf);
    say("/dev/pts is devpts: %d", sf.f_type == 0x1cd1);
    stat("/dev/pts/ptmx", &st);
    say("/dev/pts/ptmx: char %d %u:%u", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
    say("/dev/fd/0 resolves: %d", stat("/dev/fd/0", &st) == 0);
    return 0;
}
