/* MS_NOEXEC: execve fails with EACCES and executable file mappings with
 * EPERM; remounting without it allows both. */
#include "mnt.h"
#include <sys/mman.h>

static void copy_self(const char *to)
{
    int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        write(out, buf, n);
    close(in);
    close(out);
}

static const char *run(const char *path)
{
    pid_t c = fork();
    if (c == 0) {
        execl(path, path, "child", (char *)0);
        _exit(100 + errno);
    }
    int st;
    waitpid(c, &st, 0);
    static char buf[32];
    if ((st & 0x7f) == 0 && ((st >> 8) & 0xff) >= 100)
        return errname(((st >> 8) & 0xff) - 100);
    snprintf(buf, sizeof buf, "%s", wstatus(st));
    return buf;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 7;
    isolate();
    mkdir("t/x", 0755);
    mount("x", "t/x", "tmpfs", MS_NOEXEC, NULL);
    copy_self("t/x/prog");
    say("exec on noexec: %s", run("t/x/prog"));
    int fd = open("t/x/prog", O_RDONLY);
    void *p = mmap(0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
    say("mmap PROT_EXEC: %s", p == MAP_FAILED ? errname(errno) : "ok");
    p = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    say("mmap PROT_READ: %s", p == MAP_FAILED ? errname(errno) : "ok");
    close(fd);
    struct statfs sf;
    statfs("t/x", &sf);
    say("ST_NOEXEC: %d", (sf.f_flags & ST_NOEXEC) != 0);
    OK("remount exec", mount(NULL, "t/x", NULL, MS_REMOUNT, NULL));
    say("exec after remount: %s", run("t/x/prog"));
    return 0;
}
