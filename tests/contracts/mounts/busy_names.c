/* Names that are mount points cannot be removed or renamed (EBUSY);
 * rename and link never cross mounts, even of one file system (EXDEV). */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mkdir("t/x", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    SAY("rmdir a mount point", rmdir("t/m"));
    SAY("rename a mount point", rename("t/m", "t/n"));
    SAY("rename onto a mount point", rename("t/x", "t/m"));
    touch("t/f");
    touch("t/g");
    mount("t/f", "t/g", NULL, MS_BIND, NULL);
    SAY("unlink a bound file", unlink("t/g"));
    mkdir("t/a", 0755);
    mkdir("t/b", 0755);
    touch("t/a/file");
    mount("t/a", "t/b", NULL, MS_BIND, NULL);
    SAY("rename across two binds of one tmpfs", rename("t/a/file", "t/b/file2"));
    SAY("link across them", link("t/a/file", "t/b/hard"));
    SAY("rename within the bind", rename("t/b/file", "t/b/file3"));
    SAY("rename into another tmpfs", rename("t/a/file3", "t/m/file"));
    return 0;
}
