/* sigaltstack: disabled at start; once set, handlers installed with
 * SA_ONSTACK run on it and see SS_ONSTACK; others use the normal stack. */
#include "contract.h"
#include <signal.h>
#include <stdint.h>

static char altbuf[65536] __attribute__((aligned(16)));
static volatile int on_alt, flags_in_handler;

static void h(int sig)
{
    (void)sig;
    char here;
    on_alt = (uintptr_t)&here >= (uintptr_t)altbuf && (uintptr_t)&here < (uintptr_t)altbuf + sizeof altbuf;
    stack_t cur;
    sigaltstack(NULL, &cur);
    flags_in_handler = cur.ss_flags;
}

int main(void)
{
    stack_t ss, old;
    memset(&old, 0xff, sizeof old);
    OK("query", sigaltstack(NULL, &old));
    say("initial flags SS_DISABLE: %d", old.ss_flags == SS_DISABLE);
    say("initial size: %zu", old.ss_size);
    say("initial sp null: %d", old.ss_sp == NULL);

    ss.ss_sp = altbuf;
    ss.ss_size = sizeof altbuf;
    ss.ss_flags = 0;
    OK("set", sigaltstack(&ss, &old));
    say("old flags SS_DISABLE: %d", old.ss_flags == SS_DISABLE);
    OK("query", sigaltstack(NULL, &old));
    say("sp matches: %d size %zu flags %d", old.ss_sp == altbuf, old.ss_size, old.ss_flags);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);

    raise(SIGUSR1);
    say("SA_ONSTACK handler on alt stack: %d, flags %d (SS_ONSTACK=%d)", on_alt, flags_in_handler, SS_ONSTACK);
    raise(SIGUSR2);
    say("plain handler on alt stack: %d, flags %d", on_alt, flags_in_handler);

    /* SS_ONSTACK in ss_flags is accepted as 0 (old programs pass it). */
    ss.ss_flags = SS_ONSTACK;
    OK("set with SS_ONSTACK", sigaltstack(&ss, NULL));
    OK("query", sigaltstack(NULL, &old));
    say("flags after: %d", old.ss_flags);

    ss.ss_flags = SS_DISABLE;
    ss.ss_size = 0;
    OK("disable", sigaltstack(&ss, NULL));
    OK("query", sigaltstack(NULL, &old));
    say("disabled: flags %d size %zu sp null %d", old.ss_flags, old.ss_size, old.ss_sp == NULL);
    raise(SIGUSR1);
    say("SA_ONSTACK without a stack runs on the normal stack: %d", !on_alt);
    return 0;
}
