/* flock on descriptors that are not regular files: a socket and a pipe
 * take flock locks like any open file (Linux locks the inode), a second
 * open file description conflicts. */
#include "contract.h"
#include <sys/file.h>
#include <sys/socket.h>
#include <fcntl.h>

int main(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    SAY("flock socket", flock(sv[0], LOCK_EX | LOCK_NB));
    SAY("flock socket again (same description)", flock(sv[0], LOCK_EX | LOCK_NB));
    SAY("flock pipe read end", flock(p[0], LOCK_SH | LOCK_NB));
    SAY("flock pipe write end", flock(p[1], LOCK_EX | LOCK_NB));
    SAY("unlock", flock(p[0], LOCK_UN));
    SAY("now exclusive", flock(p[1], LOCK_EX | LOCK_NB));
    SAY("fcntl lock on socket", ({ struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET }; fcntl(sv[0], F_SETLK, &fl); }));
    return 0;
}
