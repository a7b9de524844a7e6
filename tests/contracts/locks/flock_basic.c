/* flock: shared locks coexist, exclusive conflicts (EWOULDBLOCK with
 * LOCK_NB) across open file descriptions, unlock frees. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDONLY);
    int c = open("f", O_WRONLY);
    OK("a LOCK_SH", flock(a, LOCK_SH));
    OK("b LOCK_SH", flock(b, LOCK_SH));
    SAY("c LOCK_EX|LOCK_NB", flock(c, LOCK_EX | LOCK_NB));
    say("EWOULDBLOCK is EAGAIN: %d", EWOULDBLOCK == EAGAIN);
    OK("a LOCK_UN", flock(a, LOCK_UN));
    SAY("c LOCK_EX|LOCK_NB with b still shared", flock(c, LOCK_EX | LOCK_NB));
    OK("b LOCK_UN", flock(b, LOCK_UN));
    OK("c LOCK_EX|LOCK_NB", flock(c, LOCK_EX | LOCK_NB));
    SAY("a LOCK_SH|LOCK_NB vs exclusive", flock(a, LOCK_SH | LOCK_NB));
    OK("c LOCK_EX again (no-op)", flock(c, LOCK_EX | LOCK_NB));
    OK("a LOCK_UN without a lock", flock(a, LOCK_UN));
    OK("close c releases", close(c));
    OK("a LOCK_EX|LOCK_NB", flock(a, LOCK_EX | LOCK_NB));
    return 0;
}
