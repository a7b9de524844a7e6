/* tmpfs options size=, nr_inodes=, mode=, uid=, gid= as Linux parses
 * and shows them; the limits hold (ENOSPC). */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    OK("mount with options", mount("opt", "t/m", "tmpfs", 0, "size=1m,nr_inodes=8,mode=0710,uid=12,gid=34"));
    show_mount("t/m");
    struct stat st;
    stat("t/m", &st);
    say("root: mode %o uid %d gid %d", st.st_mode, (int)st.st_uid, (int)st.st_gid);
    struct statfs sf;
    statfs("t/m", &sf);
    say("bytes %ld files %ld", (long)(sf.f_blocks * sf.f_bsize), (long)sf.f_files);
    int made = 0;
    char name[64];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "t/m/f%d", i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) {
            say("file %d: %s", i, errname(errno));
            break;
        }
        close(fd);
        made++;
    }
    say("files made: %d", made);
    mkdir("t/k", 0755);
    OK("size in k and %", mount("k", "t/k", "tmpfs", 0, "size=512k,nr_inodes=1k"));
    show_mount("t/k");
    mkdir("t/g", 0755);
    OK("mode only", mount("g", "t/g", "tmpfs", 0, "mode=755"));
    show_mount("t/g");
    OK("ro in the data string", mount("r", "t/g", "tmpfs", 0, "ro"));
    show_mount("t/g");
    return 0;
}
