/* rt_sigprocmask: SIG_BLOCK adds, SIG_UNBLOCK removes, SIG_SETMASK
 * replaces; the old mask comes back; an unknown `how` is EINVAL only when
 * a new set is given; SIGKILL and SIGSTOP are silently left out. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>

static unsigned long bit(int s) { return 1UL << (s - 1); }

static long raw(int how, const unsigned long *set, unsigned long *old, unsigned long size)
{
    return syscall(SYS_rt_sigprocmask, how, set, old, size);
}

int main(void)
{
    unsigned long cur = 0, set;
    raw(SIG_SETMASK, NULL, &cur, 8);
    say("initial mask: %#lx", cur);

    set = bit(SIGUSR1) | bit(SIGUSR2);
    OK("block USR1 USR2", raw(SIG_BLOCK, &set, &cur, 8));
    say("old: %#lx", cur);
    set = bit(SIGTERM);
    OK("block TERM", raw(SIG_BLOCK, &set, &cur, 8));
    say("old: %#lx", cur);
    set = bit(SIGUSR1);
    OK("unblock USR1", raw(SIG_UNBLOCK, &set, &cur, 8));
    say("old: %#lx", cur);
    raw(SIG_SETMASK, NULL, &cur, 8);
    say("now: %#lx", cur);
    set = bit(SIGHUP) | bit(SIGKILL) | bit(SIGSTOP) | bit(40);
    OK("setmask HUP KILL STOP 40", raw(SIG_SETMASK, &set, &cur, 8));
    say("old: %#lx", cur);
    raw(SIG_SETMASK, NULL, &cur, 8);
    say("now: %#lx", cur);
    set = ~0UL;
    OK("block everything", raw(SIG_BLOCK, &set, NULL, 8));
    raw(SIG_SETMASK, NULL, &cur, 8);
    say("now: %#lx", cur);

    set = 0;
    SAY("how 3 with set", raw(3, &set, NULL, 8));
    SAY("how -1 with set", raw(-1, &set, NULL, 8));
    SAY("how 3 without set", raw(3, NULL, &cur, 8));
    SAY("size 4", raw(SIG_SETMASK, &set, NULL, 4));
    SAY("size 16", raw(SIG_SETMASK, &set, NULL, 16));
    SAY("bad set pointer", raw(SIG_SETMASK, (void *)16, NULL, 8));
    SAY("bad old pointer", raw(SIG_SETMASK, NULL, (void *)16, 8));
    raw(SIG_SETMASK, NULL, &cur, 8);
    say("unchanged by errors: %#lx", cur);
    OK("unblock all", raw(SIG_SETMASK, &set, NULL, 8));

    /* libc wrappers agree. */
    sigset_t s, o;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    OK("sigprocmask", sigprocmask(SIG_BLOCK, &s, &o));
    say("libc old has SIGINT: %d", sigismember(&o, SIGINT));
    sigprocmask(SIG_BLOCK, NULL, &o);
    say("libc now has SIGINT: %d", sigismember(&o, SIGINT));
    say("pthread_sigmask bad how: %s", errname(pthread_sigmask(7, &s, NULL)));
    return 0;
}
