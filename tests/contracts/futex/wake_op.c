/* FUTEX_WAKE_OP's operation on the second word: SET, ADD, OR, ANDN, XOR,
 * with a 12-bit signed argument or (FUTEX_OP_OPARG_SHIFT) 1 << argument.
 * It is done atomically even with no waiters, and the call returns the
 * number woken. An unknown operation is ENOSYS before the word is
 * touched; an unknown comparison is ENOSYS after. */
#include "contract.h"
#include "futex_test.h"
#include <sys/wait.h>

static uint32_t w1, w2;

static void op(const char *name, uint32_t start, int o, int oparg, int cmp, int cmparg)
{
    w2 = start;
    long r = futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &w2, FUTEX_OP(o, oparg, cmp, cmparg));
    if (r < 0)
        say("%s: -1 %s, word 0x%x", name, errname(errno), w2);
    else
        say("%s: %ld, word 0x%x", name, r, w2);
}

int main(void)
{
    op("SET 5", 0xf0, FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 0);
    op("SET -3 (sign-extended)", 0xf0, FUTEX_OP_SET, -3, FUTEX_OP_CMP_EQ, 0);
    op("ADD 3", 0xf0, FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0);
    op("ADD -1", 0xf0, FUTEX_OP_ADD, -1, FUTEX_OP_CMP_EQ, 0);
    op("ADD 1 wraps", 0xffffffff, FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);
    op("OR 0x0f", 0xf0, FUTEX_OP_OR, 0x0f, FUTEX_OP_CMP_EQ, 0);
    op("ANDN 0x30", 0xf0, FUTEX_OP_ANDN, 0x30, FUTEX_OP_CMP_EQ, 0);
    op("XOR 0xff", 0xf0, FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_EQ, 0);
    op("SET 1<<4", 0xf0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0);
    op("OR 1<<31", 0x1, FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 31, FUTEX_OP_CMP_EQ, 0);
    op("ANDN 1<<7", 0xff, FUTEX_OP_ANDN | FUTEX_OP_OPARG_SHIFT, 7, FUTEX_OP_CMP_EQ, 0);
    op("XOR 1<<0", 0x2, FUTEX_OP_XOR | FUTEX_OP_OPARG_SHIFT, 0, FUTEX_OP_CMP_EQ, 0);
    op("ADD 1<<(33&31)", 0x0, FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT, 33, FUTEX_OP_CMP_EQ, 0);
    op("unknown op 5", 0xf0, 5, 1, FUTEX_OP_CMP_EQ, 0);
    op("unknown op 7", 0xf0, 7, 1, FUTEX_OP_CMP_EQ, 0);
    op("unknown cmp 6", 0xf0, FUTEX_OP_SET, 9, 6, 0);
    op("unknown cmp 15", 0xf0, FUTEX_OP_ADD, 1, 15, 0);

    uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("second word read-only", futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, ro, FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)));
    SAY("second word misaligned",
        futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, (void *)((char *)&w2 + 1), FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)));
    SAY("second word unmapped", futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, (void *)4096, FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)));
    /* A copy-on-write page becomes the caller's own on the store. */
    w2 = 1;
    pid_t pid = fork();
    if (pid == 0) {
        futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &w2, FUTEX_OP(FUTEX_OP_ADD, 10, 0, 0));
        _exit(w2);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child saw %s, parent's word %u", wstatus(st), w2);
    return 0;
}
