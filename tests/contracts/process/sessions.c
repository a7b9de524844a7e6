/* Sessions and process groups: setsid, getsid, setpgid rules. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    int st;
    SAY("setpgid(0,0) in own group already", setpgid(0, getpid()) == 0);
    pid_t p = fork();
    if (p == 0) {
        say("child pgid == parent pgid: %d", getpgid(0) == getpgid(getppid()));
        pid_t s = setsid();
        say("setsid returns pid: %d", s == getpid());
        say("getsid(0) == pid: %d", getsid(0) == getpid());
        say("getpgrp() == pid: %d", getpgrp() == getpid());
        SAY("setsid again (leader)", setsid());
        SAY("setpgid of a session leader", setpgid(0, 0));
        _exit(0);
    }
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));

    SAY("getpgid(bad pid)", getpgid(999999));
    SAY("getsid(bad pid)", getsid(999999));
    SAY("setpgid negative", setpgid(0, -1));
    SAY("setpgid not a child", setpgid(1, 1));

    int fd[2];
    pipe(fd);
    pid_t c = fork();
    if (c == 0) {
        char ch;
        read(fd[0], &ch, 1);
        _exit(0);
    }
    SAY("setpgid child to own group", setpgid(c, c));
    say("child's pgid is its pid: %d", getpgid(c) == c);
    SAY("setpgid child back", setpgid(c, getpgrp()));
    SAY("setpgid to a group in no process", setpgid(c, 999999));
    write(fd[1], "x", 1);
    waitpid(c, &st, 0);
    return 0;
}
