/* pidfd_open: a descriptor for a process (close-on-exec, O_RDWR); bad
 * flags and missing processes fail; a zombie can still be opened, a
 * reaped process cannot; reading one is EINVAL. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int me = pidfd_open(getpid(), 0);
    say("pidfd of myself: %d", me >= 0);
    say("  F_GETFD %d, F_GETFL %#o", fcntl(me, F_GETFD), fcntl(me, F_GETFL));
    SAY("bad flags", pidfd_open(getpid(), 1));
    SAY("pid 0", pidfd_open(0, 0));
    SAY("pid -1", pidfd_open(-1, 0));
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    sleep_ms(50);
    int z = pidfd_open(c, 0);
    say("pidfd of a zombie: %d", z >= 0);
    int nb = pidfd_open(c, O_NONBLOCK);
    say("with PIDFD_NONBLOCK: F_GETFL %#o", fcntl(nb, F_GETFL));
    int st;
    waitpid(c, &st, 0);
    SAY("pidfd of a reaped child", pidfd_open(c, 0));
    char b[8];
    SAY("read", read(z, b, sizeof b));
    SAY("write", write(z, b, 1));
    SAY("lseek", lseek(z, 0, SEEK_SET));
    return 0;
}
