/* signalfd: a blocked signal is read as a struct signalfd_siginfo
 * (128 bytes) instead of being delivered, and reading consumes it. The
 * fields say who sent it and how: kill is SI_USER from our pid, raise
 * (tgkill) SI_TKILL. */
#include "contract.h"
#include "events.h"
#include <sys/signalfd.h>

static void show(const struct signalfd_siginfo *si)
{
    say("  signo %u, code %d, pid is mine %d, uid %u, errno %d", si->ssi_signo, si->ssi_code,
        si->ssi_pid == (uint32_t)getpid(), si->ssi_uid, si->ssi_errno);
}

int main(void)
{
    say("sizeof signalfd_siginfo: %zu", sizeof(struct signalfd_siginfo));
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, 0);
    int fd = signalfd(-1, &m, SFD_NONBLOCK);
    say("created: %d", fd >= 0);
    struct signalfd_siginfo si;
    SAY("read with nothing pending", read(fd, &si, sizeof si));
    say("nothing pending: %s", ready(fd));
    kill(getpid(), SIGUSR1);
    say("SIGUSR1 pending: %s", ready(fd));
    SAY("read", read(fd, &si, sizeof si));
    show(&si);
    sigset_t pend;
    sigpending(&pend);
    say("still pending after read: %d", sigismember(&pend, SIGUSR1));
    raise(SIGUSR2);
    SAY("read after raise", read(fd, &si, sizeof si));
    show(&si);
    SAY("read with a 127-byte buffer", read(fd, &si, 127));
    /* A signal not in the set stays pending and is not read. */
    signal(SIGTERM, SIG_DFL);
    sigaddset(&m, SIGTERM);
    sigprocmask(SIG_BLOCK, &m, 0);
    kill(getpid(), SIGTERM);
    SAY("read with only SIGTERM pending", read(fd, &si, sizeof si));
    sigpending(&pend);
    say("SIGTERM still pending: %d", sigismember(&pend, SIGTERM));
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    int tfd = signalfd(-1, &term, SFD_NONBLOCK);
    SAY("a second signalfd for SIGTERM reads it", read(tfd, &si, sizeof si));
    say("  signo %u", si.ssi_signo);
    /* Several at once: lowest number first. */
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    struct signalfd_siginfo many[4];
    SAY("read of four structs with two pending", read(fd, many, sizeof many));
    say("  order: %u %u", many[0].ssi_signo, many[1].ssi_signo);
    return 0;
}
