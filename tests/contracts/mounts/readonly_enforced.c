/* MS_RDONLY is enforced by every call that writes: EROFS, in Linux's
 * order relative to the other errors. */
#include "mnt.h"
#include <sys/time.h>
#include <sys/sysmacros.h>

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    touch("t/m/f");
    mkdir("t/m/d", 0755);
    mkdir("t/m/empty", 0755);
    mknod("t/m/null", S_IFCHR | 0666, makedev(1, 3));
    OK("remount read-only", mount(NULL, "t/m", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    SAY("open O_WRONLY", open("t/m/f", O_WRONLY));
    SAY("open O_RDWR", open("t/m/f", O_RDWR));
    SAY("open O_RDONLY", open("t/m/f", O_RDONLY) >= 0);
    SAY("open O_RDONLY|O_TRUNC", open("t/m/f", O_RDONLY | O_TRUNC));
    SAY("open O_CREAT new", open("t/m/new", O_CREAT | O_WRONLY, 0644));
    SAY("open O_CREAT existing read-only", open("t/m/f", O_CREAT | O_RDONLY, 0644) >= 0);
    SAY("open O_CREAT|O_EXCL existing", open("t/m/f", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SAY("device node for writing", open("t/m/null", O_WRONLY) >= 0);
    SAY("directory O_RDONLY", open("t/m/d", O_RDONLY | O_DIRECTORY) >= 0);
    SAY("unlink", unlink("t/m/f"));
    SAY("unlink missing", unlink("t/m/missing"));
    SAY("rmdir", rmdir("t/m/empty"));
    SAY("rename", rename("t/m/f", "t/m/g"));
    SAY("mkdir", mkdir("t/m/nd", 0755));
    SAY("mkdir existing", mkdir("t/m/d", 0755));
    SAY("symlink", symlink("f", "t/m/l"));
    SAY("link", link("t/m/f", "t/m/l2"));
    SAY("mknod fifo", mknod("t/m/fifo", S_IFIFO | 0644, 0));
    SAY("chmod", chmod("t/m/f", 0600));
    SAY("chown", chown("t/m/f", 1, 1));
    SAY("utimes now", utimes("t/m/f", NULL));
    SAY("truncate", truncate("t/m/f", 0));
    SAY("truncate a directory", truncate("t/m/d", 0));
    SAY("access W_OK", access("t/m/f", W_OK));
    SAY("access R_OK", access("t/m/f", R_OK));
    SAY("access W_OK on the device", access("t/m/null", W_OK));
    int fd = open("t/m/f", O_RDONLY);
    SAY("fchmod", fchmod(fd, 0600));
    struct statfs sf;
    statfs("t/m", &sf);
    say("ST_RDONLY: %d", (int)(sf.f_flags & ST_RDONLY) != 0);
    show_mount("t/m");
    OK("remount read-write", mount(NULL, "t/m", NULL, MS_REMOUNT, NULL));
    SAY("open O_WRONLY again", open("t/m/f", O_WRONLY) >= 0);
    show_mount("t/m");
    return 0;
}
