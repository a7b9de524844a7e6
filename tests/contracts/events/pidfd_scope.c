/* pidfd_send_signal's scope flags: PIDFD_SIGNAL_THREAD (the leader
 * thread: SI_TKILL), PIDFD_SIGNAL_THREAD_GROUP (the process: SI_USER),
 * PIDFD_SIGNAL_PROCESS_GROUP (its whole group); two at once is EINVAL.
 * With a siginfo: the signal number must match, and only the caller
 * itself may be sent a kill-like si_code. */
#include "contract.h"
#include "events.h"
#include <sys/signalfd.h>

#define PIDFD_SIGNAL_THREAD 1
#define PIDFD_SIGNAL_THREAD_GROUP 2
#define PIDFD_SIGNAL_PROCESS_GROUP 4

static int sfd;

static void show(const char *label)
{
    struct signalfd_siginfo si;
    ssize_t n = read(sfd, &si, sizeof si);
    if (n < 0)
        say("%s: nothing (%s)", label, errname(errno));
    else
        say("%s: signo %u code %d", label, si.ssi_signo, si.ssi_code);
}

int main(void)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, 0);
    sfd = signalfd(-1, &m, SFD_NONBLOCK);
    int me = pidfd_open(getpid(), 0);
    SAY("THREAD", pidfd_send_signal(me, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
    show("  got");
    SAY("THREAD_GROUP", pidfd_send_signal(me, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD_GROUP));
    show("  got");
    SAY("THREAD|THREAD_GROUP", pidfd_send_signal(me, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP));
    /* The process group led by the pidfd's process: a child in our
     * group leads none. */
    setpgid(0, 0);
    pid_t lone = fork();
    if (lone == 0) {
        pause();
        _exit(0);
    }
    int lfd = pidfd_open(lone, 0);
    SAY("PROCESS_GROUP of a process leading no group", pidfd_send_signal(lfd, SIGTERM, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
    kill(lone, SIGKILL);
    waitpid(lone, 0, 0);
    /* Our own group: a child in it gets the signal too. */
    int go[2], res[2];
    pipe(go);
    pipe(res);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        struct signalfd_siginfo si;
        ssize_t n = read(sfd, &si, sizeof si);
        char r = n > 0 ? (char)si.ssi_signo : 0;
        write(res[1], &r, 1);
        _exit(0);
    }
    SAY("PROCESS_GROUP", pidfd_send_signal(me, SIGUSR2, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
    show("  parent got");
    write(go[1], "g", 1);
    char r;
    read(res[0], &r, 1);
    say("  child got %d", r);
    waitpid(c, 0, 0);

    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    si.si_value.sival_int = 77;
    SAY("siginfo to myself, SI_QUEUE", pidfd_send_signal(me, SIGUSR1, &si, 0));
    show("  got");
    si.si_code = SI_USER;
    SAY("siginfo to myself, SI_USER", pidfd_send_signal(me, SIGUSR1, &si, 0));
    show("  got");
    SAY("siginfo with another signal number", pidfd_send_signal(me, SIGUSR2, &si, 0));
    c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    int cfd = pidfd_open(c, 0);
    SAY("SI_USER siginfo to a child", pidfd_send_signal(cfd, SIGTERM, (siginfo_t *)&(siginfo_t){.si_signo = SIGTERM, .si_code = SI_USER}, 0));
    SAY("SI_QUEUE siginfo to a child", pidfd_send_signal(cfd, SIGTERM, (siginfo_t *)&(siginfo_t){.si_signo = SIGTERM, .si_code = SI_QUEUE}, 0));
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
