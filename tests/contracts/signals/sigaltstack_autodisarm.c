/* SS_AUTODISARM: the alternate stack is disarmed while a handler runs on
 * it (so a handler may switch away from it, e.g. with swapcontext) and
 * re-armed by sigreturn. */
#include "contract.h"
#include <signal.h>
#include <stdint.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static char altbuf[65536] __attribute__((aligned(16)));
static volatile int on_alt, flags_in, set_in = 99;
static volatile int err_in;

static void h(int sig)
{
    (void)sig;
    char here;
    on_alt = (uintptr_t)&here >= (uintptr_t)altbuf && (uintptr_t)&here < (uintptr_t)altbuf + sizeof altbuf;
    stack_t q;
    sigaltstack(NULL, &q);
    flags_in = q.ss_flags;
    /* Disarmed: changing it is allowed even though we are on it. */
    stack_t again = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = SS_AUTODISARM};
    errno = 0;
    set_in = sigaltstack(&again, NULL);
    err_in = errno;
}

int main(void)
{
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = SS_AUTODISARM};
    OK("set with SS_AUTODISARM", sigaltstack(&ss, NULL));
    stack_t q;
    sigaltstack(NULL, &q);
    say("query flags: %#x", (unsigned)q.ss_flags);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    say("handler on alt stack: %d", on_alt);
    say("flags inside handler: %#x (SS_DISABLE=%d)", (unsigned)flags_in, SS_DISABLE);
    say("set inside handler: %d %s", set_in, errname(err_in));
    sigaltstack(NULL, &q);
    say("after return: flags %#x sp ok %d size %zu", (unsigned)q.ss_flags, q.ss_sp == altbuf, q.ss_size);
    raise(SIGUSR1);
    say("second delivery on alt stack: %d", on_alt);
    return 0;
}
