/* Which event a metadata change is: chmod and chown are IN_ATTRIB;
 * utimensat with both times IN_ATTRIB, with only the access time
 * IN_ACCESS, only the modification time IN_MODIFY; a hard link changes
 * the link count (IN_ATTRIB on the file alone) and creates a name; an
 * O_TRUNC open of a new file does not modify it; RENAME_EXCHANGE is two
 * moves. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/stat.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

int main(void)
{
    mkdir("d", 0755);
    close(open("d/f", O_CREAT | O_WRONLY, 0600));
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, "d", IN_ALL_EVENTS);
    inotify_add_watch(in, "d/f", IN_ALL_EVENTS);
    chown("d/f", 0, 0);
    drain("chown", in);
    struct timespec both[2] = {{5, 0}, {6, 0}};
    utimensat(AT_FDCWD, "d/f", both, 0);
    drain("utimensat, both times", in);
    struct timespec atime_only[2] = {{7, 0}, {0, UTIME_OMIT}};
    utimensat(AT_FDCWD, "d/f", atime_only, 0);
    drain("utimensat, access time only", in);
    struct timespec mtime_only[2] = {{0, UTIME_OMIT}, {8, 0}};
    utimensat(AT_FDCWD, "d/f", mtime_only, 0);
    drain("utimensat, modification time only", in);
    utimensat(AT_FDCWD, "d/f", NULL, 0);
    drain("utimensat, now", in);
    link("d/f", "d/g");
    drain("link", in);
    close(open("d/new", O_CREAT | O_TRUNC | O_WRONLY, 0600));
    drain("O_CREAT|O_TRUNC of a new file", in);
    syscall(SYS_renameat2, AT_FDCWD, "d/f", AT_FDCWD, "d/new", RENAME_EXCHANGE);
    drain("RENAME_EXCHANGE", in);
    rename("d/g", "d/g");
    drain("rename onto itself", in);
    rename("d/g", "d/new");
    drain("rename onto another link of the same file", in);
    return 0;
}
