/* nanosleep rejects nanoseconds outside [0, 1e9) and negative seconds
 * with EINVAL, and a bad pointer with EFAULT. */
#include "contract.h"
#include <sys/syscall.h>
#include <time.h>

static long ns(long s, long n)
{
    struct timespec t = {s, n};
    return syscall(SYS_nanosleep, &t, NULL);
}

int main(void)
{
    SAY("nsec 1000000000", ns(0, 1000000000));
    SAY("nsec -1", ns(0, -1));
    SAY("sec -1", ns(-1, 0));
    SAY("sec -1 nsec 5", ns(-1, 5));
    SAY("huge nsec", ns(0, 0x7fffffffffffffffL));
    SAY("bad req pointer", syscall(SYS_nanosleep, (void *)16, NULL));
    SAY("NULL req", syscall(SYS_nanosleep, NULL, NULL));
    struct timespec t = {0, 1000};
    SAY("bad rem pointer, not interrupted", syscall(SYS_nanosleep, &t, (void *)16));
    return 0;
}
