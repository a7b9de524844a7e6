/* kill's permission rule: an unprivileged sender needs its real or
 * effective uid to match the target's real or saved uid; probing with
 * signal 0 checks the same; SIGCONT within a session is always allowed. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    if (getuid() != 0) {
        say("needs root to start");
        return 0;
    }
    int p[2];
    pipe(p);
    pid_t other = fork(); /* stays root */
    if (other == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    pid_t same = fork(); /* becomes uid 1000 like the tester */
    if (same == 0) {
        setresuid(1000, 1000, 1000);
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    pid_t tester = fork();
    if (tester == 0) {
        setresuid(1000, 1000, 1000);
        SAY("probe root process", kill(other, 0));
        SAY("SIGTERM root process", kill(other, SIGTERM));
        SAY("SIGCONT root process (same session)", kill(other, SIGCONT));
        SAY("probe same-uid process", kill(same, 0));
        SAY("probe self", kill(getpid(), 0));
        SAY("probe missing process", kill(0x3fffff00, 0));
        _exit(0);
    }
    int st;
    waitpid(tester, &st, 0);
    say("tester: %s", wstatus(st));
    /* kill(-1) ignores the processes it may not signal. */
    pid_t loner = fork();
    if (loner == 0) {
        setresuid(54321, 54321, 54321);
        SAY("kill(-1, 0) when nobody else may be signalled", kill(-1, 0));
        _exit(0);
    }
    waitpid(loner, &st, 0);
    say("loner: %s", wstatus(st));
    write(p[1], "xx", 2);
    waitpid(other, &st, 0);
    say("root child not killed: %s", wstatus(st));
    waitpid(same, &st, 0);
    say("same-uid child: %s", wstatus(st));
    return 0;
}
