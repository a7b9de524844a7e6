/* link, symlink, readlink: hard link counts, long targets, loops. */
#include "contract.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

int main(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0644));
    SAY("link", link("f", "g"));
    struct stat st;
    stat("f", &st);
    say("nlink after link: %ld", (long)st.st_nlink);
    SAY("link onto existing", link("f", "g"));
    mkdir("d", 0755);
    SAY("link a directory", link("d", "d2"));
    SAY("unlink one name", unlink("g"));
    stat("f", &st);
    say("nlink after unlink: %ld", (long)st.st_nlink);
    SAY("symlink", symlink("f", "s"));
    char buf[PATH_MAX + 10];
    SAY("readlink", readlink("s", buf, sizeof buf));
    SAY("readlink truncates silently", readlink("s", buf, 0 + 1));
    SAY("readlink zero size", readlink("s", buf, 0));
    SAY("readlink on a file", readlink("f", buf, sizeof buf));
    char target[4000];
    memset(target, 'x', sizeof target - 1);
    target[sizeof target - 1] = 0;
    SAY("symlink with a 3999-byte target", symlink(target, "long"));
    SAY("readlink long", readlink("long", buf, sizeof buf));
    SAY("symlink onto existing", symlink("f", "s"));
    symlink("loop1", "loop2");
    symlink("loop2", "loop1");
    SAY("open a loop", open("loop1", O_RDONLY));
    SAY("stat a loop", stat("loop1", &st));
    SAY("lstat a loop", lstat("loop1", &st));
    symlink("s", "s2");
    SAY("open through two links", open("s2", O_RDONLY) >= 0);
    symlink("d", "dl");
    SAY("path through a dir link", open("dl/../f", O_RDONLY) >= 0 ? 0 : -1);
    SAY("link through a symlink (no follow)", link("s", "hard-to-link"));
    lstat("hard-to-link", &st);
    say("link of a symlink is a symlink: %d", S_ISLNK(st.st_mode));
    SAY("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "s", AT_FDCWD, "hard-to-target", AT_SYMLINK_FOLLOW));
    lstat("hard-to-target", &st);
    say("followed link is a file: %d", S_ISREG(st.st_mode));
    SAY("symlink empty target", symlink("", "empty"));
    return 0;
}
