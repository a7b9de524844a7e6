/* A tmpfs mounted with size= and nr_inodes= limits: writes beyond the
 * size fail with ENOSPC, file creation beyond the inode count too, and
 * statfs reports the limits. Runs in a private mount namespace. */
#include "contract.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

int main(void)
{
    if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
        say("cannot isolate: %s", errname(errno));
        return 1;
    }
    mkdir("m", 0755);
    OK("mount", mount("t", "m", "tmpfs", 0, "size=64k,nr_inodes=8"));
    struct statfs sf;
    statfs("m", &sf);
    say("blocks %ld bsize %ld files %ld", (long)sf.f_blocks, (long)sf.f_bsize, (long)sf.f_files);
    int fd = open("m/big", O_CREAT | O_WRONLY, 0644);
    static char chunk[4096];
    long total = 0;
    ssize_t n;
    while ((n = write(fd, chunk, sizeof chunk)) > 0)
        total += n;
    say("wrote %ld then %s", total, errname(errno));
    close(fd);
    unlink("m/big");
    int made = 0;
    char name[16];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "m/f%d", i);
        int f = open(name, O_CREAT | O_WRONLY, 0644);
        if (f < 0) {
            say("create %d failed: %s", i, errname(errno));
            break;
        }
        close(f);
        made++;
    }
    say("made %d", made);
    OK("umount", umount("m"));
    return 0;
}
