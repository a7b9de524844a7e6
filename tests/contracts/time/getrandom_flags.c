/* getrandom: fills the buffer (0, NONBLOCK, RANDOM, INSECURE), refuses
 * unknown flags and RANDOM|INSECURE with EINVAL, EFAULT for a bad
 * buffer, 0 for length 0.
 * contract: glibc */
#include "contract.h"
#include <sys/random.h>
#include <sys/syscall.h>

#ifndef GRND_INSECURE
#define GRND_INSECURE 4
#endif

static long gr(void *buf, size_t n, unsigned f) { return syscall(SYS_getrandom, buf, n, f); }

int main(void)
{
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    SAY("flags 0", gr(a, sizeof a, 0));
    SAY("GRND_NONBLOCK", gr(b, sizeof b, GRND_NONBLOCK));
    say("two draws differ: %d", memcmp(a, b, sizeof a) != 0);
    SAY("GRND_RANDOM", gr(a, 16, GRND_RANDOM));
    SAY("GRND_RANDOM|GRND_NONBLOCK", gr(a, 16, GRND_RANDOM | GRND_NONBLOCK));
    SAY("GRND_INSECURE", gr(a, 16, GRND_INSECURE));
    SAY("GRND_RANDOM|GRND_INSECURE", gr(a, 16, GRND_RANDOM | GRND_INSECURE));
    SAY("flag 8", gr(a, 16, 8));
    SAY("flag 0x80000000", gr(a, 16, 0x80000000u));
    SAY("length 0", gr(a, 0, 0));
    SAY("bad buffer", gr((void *)16, 16, 0));
    SAY("NULL buffer, length 0", gr(NULL, 0, 0));
    static unsigned char big[1 << 20];
    SAY("1 MiB", gr(big, sizeof big, 0));
    SAY("libc getrandom", getrandom(a, 32, 0));
    SAY("getentropy 256", getentropy(big, 256));
    SAY("getentropy 257", getentropy(big, 257));
    return 0;
}
