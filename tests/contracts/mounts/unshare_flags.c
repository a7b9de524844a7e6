/* unshare(2) flag checks and the non-namespace unsharing it does. */
#include "mnt.h"

int main(void)
{
    isolate();
    SAY("no flags", unshare(0));
    SAY("unknown bit 0x1", unshare(0x1));
    SAY("CLONE_FS", unshare(CLONE_FS));
    SAY("CLONE_FILES", unshare(CLONE_FILES));
    SAY("CLONE_SYSVSEM", unshare(CLONE_SYSVSEM));
    SAY("CLONE_VM alone (single thread)", unshare(CLONE_VM));
    SAY("CLONE_SIGHAND (single thread)", unshare(CLONE_SIGHAND));
    int fd = open("t", O_RDONLY);
    SAY("descriptors survive CLONE_FILES", unshare(CLONE_FILES) == 0 ? fcntl(fd, F_GETFD) : -1);
    return 0;
}
