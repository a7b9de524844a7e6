/* readlink: truncation without a NUL, EINVAL for non-links, a 4095-byte
 * target, lstat's size, readlinkat on an O_PATH symlink descriptor. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    char buf[8000];
    symlink("target-of-link", "l");
    memset(buf, 'X', sizeof buf);
    SAY("readlink 4", readlink("l", buf, 4));
    say("bytes %.6s", buf);
    SAY("readlink full", readlink("l", buf, sizeof buf));
    SAY("readlink 0", readlink("l", buf, 0));
    close(open("f", O_CREAT | O_WRONLY, 0644));
    SAY("readlink file", readlink("f", buf, sizeof buf));
    SAY("readlink dir", readlink(".", buf, sizeof buf));
    SAY("readlink missing", readlink("nope", buf, sizeof buf));
    struct stat st;
    lstat("l", &st);
    say("lstat size %ld S_ISLNK %d", (long)st.st_size, S_ISLNK(st.st_mode));
    static char t[5000];
    memset(t, 'a', 4095);
    t[4095] = 0;
    SAY("4095-byte target", symlink(t, "long"));
    SAY("readlink long", readlink("long", buf, sizeof buf));
    lstat("long", &st);
    say("long size %ld", (long)st.st_size);
    memset(t, 'a', 4096);
    t[4096] = 0;
    SAY("4096-byte target", symlink(t, "toolong"));
    int fd = open("l", O_PATH | O_NOFOLLOW);
    SAY("O_PATH link fd", fd >= 0);
    SAY("readlinkat empty", readlinkat(fd, "", buf, sizeof buf));
    fstatat(fd, "", &st, AT_EMPTY_PATH);
    say("fstatat on link fd: S_ISLNK %d", S_ISLNK(st.st_mode));
    SAY("symlink over existing", symlink("x", "l"));
    SAY("symlink in missing dir", symlink("x", "nodir/l"));
    unlink("l"); unlink("long"); unlink("f");
    return 0;
}
