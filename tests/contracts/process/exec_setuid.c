/* A set-user-id program runs with its owner's effective id (and the saved
 * id follows); AT_SECURE tells the program. */
#include "contract.h"
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        uid_t r, e, s;
        getresuid(&r, &e, &s);
        gid_t gr, ge, gs;
        getresgid(&gr, &ge, &gs);
        say("in setuid program: uid %u/%u/%u gid %u/%u/%u secure %lu", r, e, s, gr, ge, gs, getauxval(AT_SECURE));
        return 0;
    }
    /* Copy ourselves to a file owned by uid 4242 with mode 04755 (and a
     * setgid copy owned by group 4343). */
    int in = open(argv[0], O_RDONLY);
    int out = open("suid", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    int n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        write(out, buf, n);
    close(in);
    close(out);
    chown("suid", 4242, 4343);
    chmod("suid", 04755);
    link("suid", "plain-link");
    chmod(".", 0755);
    struct stat st;
    stat("suid", &st);
    say("mode %o owner %u:%u", st.st_mode & 07777, st.st_uid, st.st_gid);
    pid_t p = fork();
    if (p == 0) {
        setgroups(0, 0);
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        execl("./suid", "./suid", "child", (char *)0);
        say("exec failed: %s", errname(errno));
        _exit(127);
    }
    int ws;
    waitpid(p, &ws, 0);
    chmod("suid", 02755);
    p = fork();
    if (p == 0) {
        setgroups(0, 0);
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        execl("./suid", "./suid", "child", (char *)0);
        _exit(127);
    }
    waitpid(p, &ws, 0);
    /* Root running a setuid program: euid changes too. */
    chmod("suid", 04755);
    p = fork();
    if (p == 0) {
        execl("./suid", "./suid", "child", (char *)0);
        _exit(127);
    }
    waitpid(p, &ws, 0);
    return 0;
}
