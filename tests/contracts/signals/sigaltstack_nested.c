/* A second SA_ONSTACK signal arriving while a handler already runs on
 * the alternate stack nests further down the same stack instead of
 * starting again at its top. */
#include "contract.h"
#include <signal.h>
#include <stdint.h>

static char altbuf[65536] __attribute__((aligned(16)));
static volatile uintptr_t outer_sp, inner_sp;

static int on_alt(uintptr_t a) { return a >= (uintptr_t)altbuf && a < (uintptr_t)altbuf + sizeof altbuf; }

static void inner(int sig)
{
    (void)sig;
    char here;
    inner_sp = (uintptr_t)&here;
}

static void outer(int sig)
{
    (void)sig;
    char here;
    outer_sp = (uintptr_t)&here;
    raise(SIGUSR2);
}

int main(void)
{
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_ONSTACK;
    sa.sa_handler = inner;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_handler = outer;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    say("outer on alt stack: %d", on_alt(outer_sp));
    say("inner on alt stack: %d", on_alt(inner_sp));
    say("inner below outer: %d", inner_sp < outer_sp);
    return 0;
}
