/* Set-group-id directories: new files take the directory's group, new
 * subdirectories also keep the set-group-id bit; elsewhere files take
 * the creator's group. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

static void show(const char *p)
{
    struct stat st;
    if (stat(p, &st) < 0) {
        say("%s: missing", p);
        return;
    }
    say("%s: gid %d mode %o", p, st.st_gid, st.st_mode & 07777);
}

int main(void)
{
    mkdir("g", 0775);
    chown("g", 0, 4242);
    chmod("g", 02775);
    show("g");
    close(open("g/f", O_CREAT | O_WRONLY, 0644));
    show("g/f");
    mkdir("g/sub", 0755);
    show("g/sub");
    mknod("g/fifo", S_IFIFO | 0644, 0);
    show("g/fifo");
    mkdir("plain", 0755);
    close(open("plain/f", O_CREAT | O_WRONLY, 0644));
    show("plain/f");
    mkdir("plain/sub", 02755);
    show("plain/sub");
    return 0;
}
