/* A file unlinked while open keeps working through its descriptors
 * (nlink 0, /proc link says "(deleted)"); renamed while open, the
 * descriptor follows the new name; hard links share the inode. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "data", 4);
    unlink("f");
    struct stat st;
    fstat(fd, &st);
    say("nlink %ld size %ld", (long)st.st_nlink, (long)st.st_size);
    SAY("write after unlink", write(fd, "more", 4));
    char b[16] = { 0 };
    SAY("read after unlink", pread(fd, b, sizeof b, 0));
    char p[64], l[256] = { 0 };
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    readlink(p, l, sizeof l - 1);
    say("link ends in (deleted): %d", strstr(l, "/f (deleted)") != NULL);
    SAY("a new f is another file", ({ int g = open("f", O_CREAT | O_RDWR, 0644); struct stat s2; fstat(g, &s2); s2.st_ino != st.st_ino; }));
    unlink("f");
    int h = open("h", O_CREAT | O_RDWR, 0644);
    rename("h", "h2");
    SAY("descriptor still works after rename", write(h, "x", 1));
    link("h2", "h3");
    struct stat a, c;
    stat("h2", &a);
    stat("h3", &c);
    say("same inode %d nlink %ld", a.st_ino == c.st_ino, (long)a.st_nlink);
    chmod("h3", 0600);
    stat("h2", &a);
    say("chmod through the other name %o", a.st_mode & 0777);
    unlink("h2");
    unlink("h3");
    return 0;
}
