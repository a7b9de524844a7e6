/* flock conversions are not atomic (as Linux): the old lock is dropped
 * before the new one is tried, so a failed LOCK_NB upgrade leaves none. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDWR);
    int c = open("f", O_RDWR);
    OK("a LOCK_SH", flock(a, LOCK_SH));
    OK("b LOCK_SH", flock(b, LOCK_SH));
    SAY("a upgrade LOCK_EX|LOCK_NB", flock(a, LOCK_EX | LOCK_NB));
    OK("b upgrade LOCK_EX|LOCK_NB (a lost its lock)", flock(b, LOCK_EX | LOCK_NB));
    OK("b downgrade LOCK_SH", flock(b, LOCK_SH | LOCK_NB));
    OK("c LOCK_SH beside the downgraded lock", flock(c, LOCK_SH | LOCK_NB));
    SAY("a LOCK_EX|LOCK_NB", flock(a, LOCK_EX | LOCK_NB));
    return 0;
}
