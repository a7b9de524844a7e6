/* rt_sigaction refuses signal 0, numbers above 64, a sigset size other
 * than 8, and any change to SIGKILL or SIGSTOP (querying them works). */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>

struct ksa {
    unsigned long handler, flags, restorer, mask;
};

static void h(int sig) { (void)sig; }

static long rt_sigaction(int sig, const struct ksa *act, struct ksa *old, unsigned long size)
{
    return syscall(SYS_rt_sigaction, sig, act, old, size);
}

int main(void)
{
    struct ksa act = {(unsigned long)h, 0x04000000 /* SA_RESTORER */, 0, 0};
    struct ksa old;
    memset(&old, 0, sizeof old);

    SAY("signal 0", rt_sigaction(0, &act, NULL, 8));
    SAY("signal 65", rt_sigaction(65, &act, NULL, 8));
    SAY("signal -1", rt_sigaction(-1, &act, NULL, 8));
    SAY("query signal 0", rt_sigaction(0, NULL, &old, 8));
    SAY("sigsetsize 4", rt_sigaction(SIGUSR1, &act, NULL, 4));
    SAY("sigsetsize 16", rt_sigaction(SIGUSR1, &act, NULL, 16));
    SAY("query sigsetsize 4", rt_sigaction(SIGUSR1, NULL, &old, 4));
    SAY("SIGKILL handler", rt_sigaction(SIGKILL, &act, NULL, 8));
    SAY("SIGSTOP handler", rt_sigaction(SIGSTOP, &act, NULL, 8));
    struct ksa ign = {(unsigned long)SIG_IGN, 0, 0, 0};
    SAY("SIGKILL ignore", rt_sigaction(SIGKILL, &ign, NULL, 8));
    SAY("SIGSTOP ignore", rt_sigaction(SIGSTOP, &ign, NULL, 8));
    struct ksa dfl = {(unsigned long)SIG_DFL, 0, 0, 0};
    SAY("SIGKILL default", rt_sigaction(SIGKILL, &dfl, NULL, 8));
    SAY("query SIGKILL", rt_sigaction(SIGKILL, NULL, &old, 8));
    say("SIGKILL is SIG_DFL: %d", old.handler == (unsigned long)SIG_DFL);
    SAY("query SIGSTOP", rt_sigaction(SIGSTOP, NULL, &old, 8));
    SAY("signal 32", rt_sigaction(32, &act, NULL, 8));
    SAY("signal 64", rt_sigaction(64, &act, NULL, 8));
    SAY("bad act pointer", rt_sigaction(SIGUSR1, (void *)16, NULL, 8));
    SAY("bad oldact pointer", rt_sigaction(SIGUSR1, NULL, (void *)16, 8));

    /* libc's view: sigaction(SIGKILL) fails, errno EINVAL. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    SAY("libc sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
    SAY("libc sigaction 0", sigaction(0, &sa, NULL));
    SAY("libc signal(SIGSTOP)", signal(SIGSTOP, h) == SIG_ERR ? -1 : 0);

    /* Unknown flag bits are not stored (Linux >= 5.11 reports only the
     * bits it knows, so programs can probe for new flags). */
    struct ksa odd = {(unsigned long)h, 0x04000000 | 0x400 /* SA_UNSUPPORTED */ | SA_RESTART, 0, 0};
    SAY("install with unknown flag", rt_sigaction(SIGUSR2, &odd, NULL, 8));
    SAY("query it", rt_sigaction(SIGUSR2, NULL, &old, 8));
    say("unknown flag reported: %d", (old.flags & 0x400) != 0);
    say("SA_RESTART reported: %d", (old.flags & SA_RESTART) != 0);
    say("SA_RESTORER reported: %d", (old.flags & 0x04000000) != 0);
    /* sa_mask never keeps SIGKILL or SIGSTOP. */
    struct ksa m = {(unsigned long)h, 0x04000000, 0, ~0UL};
    SAY("install full mask", rt_sigaction(SIGUSR2, &m, NULL, 8));
    SAY("query it", rt_sigaction(SIGUSR2, NULL, &old, 8));
    say("mask has SIGKILL: %d", (old.mask >> (SIGKILL - 1)) & 1 ? 1 : 0);
    say("mask has SIGSTOP: %d", (old.mask >> (SIGSTOP - 1)) & 1 ? 1 : 0);
    say("mask has SIGTERM: %d", (old.mask >> (SIGTERM - 1)) & 1 ? 1 : 0);
    return 0;
}
