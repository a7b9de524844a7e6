/* Relative timeouts of FUTEX_WAIT: the wait ends with ETIMEDOUT no sooner
 * than asked; a zero timeout expires at once; the timespec is read and
 * checked before anything else (EFAULT, EINVAL), and only by the commands
 * that take one (for FUTEX_WAKE the argument is a count). */
#include "contract.h"
#include "futex_test.h"

int main(void)
{
    static uint32_t w = 0;
    struct timespec t20 = {0, 20 * 1000000};
    long t0 = now_ms();
    SAY("20 ms wait", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, &t20, NULL, 0));
    say("waited at least 20 ms: %d", now_ms() - t0 >= 20);

    struct timespec zero = {0, 0};
    SAY("zero timeout", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0));
    SAY("zero timeout, shared", futex_t(&w, FUTEX_WAIT, 0, &zero, NULL, 0));
    SAY("zero timeout, value differs", futex_t(&w, FUTEX_WAIT_PRIVATE, 1, &zero, NULL, 0));

    struct timespec bad_ns = {0, 1000000000};
    struct timespec neg_ns = {0, -1};
    struct timespec neg_s = {-1, 0};
    SAY("tv_nsec = 1e9", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, &bad_ns, NULL, 0));
    SAY("tv_nsec = -1", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, &neg_ns, NULL, 0));
    SAY("tv_sec = -1", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, &neg_s, NULL, 0));
    SAY("invalid timeout beats value mismatch", futex_t(&w, FUTEX_WAIT_PRIVATE, 9, &bad_ns, NULL, 0));
    SAY("timeout pointer unmapped", futex_t(&w, FUTEX_WAIT_PRIVATE, 0, (void *)8, NULL, 0));
    SAY("bad timeout beats bad word", futex_t((void *)8, FUTEX_WAIT_PRIVATE, 0, (void *)8, NULL, 0));
    SAY("FUTEX_WAKE ignores the pointer slot", futex_n(&w, FUTEX_WAKE_PRIVATE, 1, 8, NULL, 0));
    return 0;
}
