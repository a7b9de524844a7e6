/* The /proc/self links after their targets change: cwd after the
 * directory is removed, exe of a process whose file was unlinked,
 * root after chroot; and readlink's truncation and errors. */
#include "procutil.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        /* The copy: says it runs, then waits for the word to end. */
        char c;
        write(1, "r", 1);
        read(0, &c, 1);
        return 0;
    }
    char base[256];
    getcwd(base, sizeof base);
    mkdir("gone", 0755);
    chdir("gone");
    rmdir("../gone");
    char buf[512];
    ssize_t n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    char want[300];
    snprintf(want, sizeof want, "%s/gone (deleted)", base);
    say("cwd after rmdir says deleted: %d", !strcmp(buf, want));
    chdir(base);
    n = readlink("/proc/self/cwd", buf, 4);
    say("truncated readlink: %zd", n);
    say_link("readlink of a non-link", "/proc/self/status");
    say_link("root", "/proc/self/root");

    /* A copy of our own program, run and unlinked while it runs (in /tmp:
     * the scratch directory may be on a noexec mount). */
    char copy[64];
    snprintf(copy, sizeof copy, "/tmp/kvcopy-%d", (int)getpid());
    int in = open("/proc/self/exe", O_RDONLY), out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    while ((n = read(in, buf, sizeof buf)) > 0)
        write(out, buf, n);
    close(in);
    close(out);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t kid = fork();
    if (kid == 0) {
        dup2(p[0], 0);
        dup2(q[1], 1);
        execl(copy, "copy", "child", (char *)NULL);
        _exit(127);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)kid);
    /* Once the child runs the copy (it says so), unlink the file. */
    char c = 0;
    close(q[1]);
    read(q[0], &c, 1);
    say("child runs the copy: %d", c == 'r');
    unlink(copy);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "%s (deleted)", copy);
    say("exe of an unlinked program says deleted: %d", !strcmp(buf, want));
    write(p[1], "x", 1);
    waitpid(kid, NULL, 0);
    return 0;
}
