/* sigaltstack errors: ENOMEM below MINSIGSTKSZ, EINVAL for unknown flags,
 * EPERM when changing the stack while running on it, EFAULT for bad
 * pointers. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>

static char altbuf[65536] __attribute__((aligned(16)));
static volatile long change_on_stack = 99, query_on_stack = 99;
static volatile int err_on_stack, disable_on_stack = 99, err_disable;

static void h(int sig)
{
    (void)sig;
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = 0};
    errno = 0;
    change_on_stack = sigaltstack(&ss, NULL);
    err_on_stack = errno;
    ss.ss_flags = SS_DISABLE;
    errno = 0;
    disable_on_stack = sigaltstack(&ss, NULL);
    err_disable = errno;
    stack_t q;
    query_on_stack = sigaltstack(NULL, &q);
}

int main(void)
{
    stack_t ss = {.ss_sp = altbuf, .ss_size = 1024, .ss_flags = 0};
    SAY("size 1024", syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_size = 2047;
    SAY("size 2047", syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_size = 2048;
    SAY("size 2048", syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_size = sizeof altbuf;
    ss.ss_flags = 0x10;
    SAY("flags 0x10", sigaltstack(&ss, NULL));
    ss.ss_flags = SS_DISABLE | SS_ONSTACK;
    SAY("flags DISABLE|ONSTACK", sigaltstack(&ss, NULL));
    ss.ss_flags = SS_DISABLE;
    ss.ss_size = 1;
    SAY("disable with tiny size", sigaltstack(&ss, NULL));
    SAY("bad ss pointer", syscall(SYS_sigaltstack, (stack_t *)16, NULL));
    SAY("bad old pointer", syscall(SYS_sigaltstack, NULL, (stack_t *)16));

    ss.ss_flags = 0;
    ss.ss_size = sizeof altbuf;
    OK("set", sigaltstack(&ss, NULL));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    say("change while on it: %ld %s", change_on_stack, errname(err_on_stack));
    say("disable while on it: %d %s", disable_on_stack, errname(err_disable));
    say("query while on it: %ld", query_on_stack);
    stack_t q;
    sigaltstack(NULL, &q);
    say("still set after handler: %d", q.ss_flags == 0 && q.ss_sp == altbuf);
    return 0;
}
