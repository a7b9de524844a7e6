/* mlock2 with MLOCK_ONFAULT locks without faulting in; unknown mlock2
 * flags are EINVAL; mlockall(MCL_CURRENT|MCL_ONFAULT) does not fault in;
 * locks are not inherited by a fork child; mlock of part of a mapping and
 * munlock of part of that leave the rest locked. */
#include "contract.h"
#include "memprobe.h"
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

static long mlock2_raw(void *a, size_t l, unsigned f) { return syscall(SYS_mlock2, a, l, f); }

int main(void)
{
    char *p = map_at(PLAYGROUND, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("mlock2 ONFAULT", mlock2_raw(p, 4 * PG, MLOCK_ONFAULT));
    say("resident: %s", resident(p, 8));
    SAY("DONTNEED on it", madvise(p, PG, MADV_DONTNEED));
    SAY("mlock2 bad flag", mlock2_raw(p, PG, 2));
    SAY("mlock2 no flags", mlock2_raw(p + 4 * PG, 2 * PG, 0));
    say("resident: %s", resident(p, 8));
    SAY("munlock middle page", munlock(p + 4 * PG, PG));
    SAY("DONTNEED unlocked page", madvise(p + 4 * PG, PG, MADV_DONTNEED));
    SAY("DONTNEED still locked page", madvise(p + 5 * PG, PG, MADV_DONTNEED));
    pid_t pid = fork();
    if (pid == 0) {
        const char *r = "";
        errno = 0;
        r = madvise(p + 5 * PG, PG, MADV_DONTNEED) == 0 ? "0" : errname(errno);
        say("child: DONTNEED on the parent's locked page: %s", r);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    SAY("munlock all of it", munlock(p, 8 * PG));
    char *q = map_at(PLAYGROUND + 64 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    SAY("mlockall CURRENT|ONFAULT", mlockall(MCL_CURRENT | MCL_ONFAULT));
    say("not faulted in: %s", resident(q, 4));
    SAY("DONTNEED now", madvise(q, PG, MADV_DONTNEED));
    SAY("mlockall ONFAULT alone", mlockall(MCL_ONFAULT));
    SAY("munlockall", munlockall());
    SAY("DONTNEED after munlockall", madvise(q, PG, MADV_DONTNEED));
    return 0;
}
