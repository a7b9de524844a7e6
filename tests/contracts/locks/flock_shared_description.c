/* flock locks belong to the open file description: dup and fork share
 * them, only the last close releases them. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int other = open("f", O_RDWR);
    OK("a LOCK_EX", flock(a, LOCK_EX));
    int d = dup(a);
    OK("dup LOCK_EX (same description)", flock(d, LOCK_EX | LOCK_NB));
    OK("close the dup", close(d));
    SAY("other description still blocked", flock(other, LOCK_EX | LOCK_NB));
    pid_t c = fork();
    if (c == 0) {
        SAY("child relocks the shared description", flock(a, LOCK_SH | LOCK_NB));
        _exit(0);
    }
    waitpid(c, 0, 0);
    SAY("other LOCK_SH after child's downgrade", flock(other, LOCK_SH | LOCK_NB));
    OK("other LOCK_UN", flock(other, LOCK_UN));
    c = fork();
    if (c == 0) {
        OK("child LOCK_UN", flock(a, LOCK_UN));
        _exit(0);
    }
    waitpid(c, 0, 0);
    OK("other LOCK_EX after child's unlock", flock(other, LOCK_EX | LOCK_NB));
    OK("other LOCK_UN", flock(other, LOCK_UN));
    OK("a LOCK_EX", flock(a, LOCK_EX));
    c = fork();
    if (c == 0) {
        close(a);
        _exit(0);
    }
    waitpid(c, 0, 0);
    SAY("child's close did not release", flock(other, LOCK_EX | LOCK_NB));
    close(a);
    OK("last close released", flock(other, LOCK_EX | LOCK_NB));
    return 0;
}
