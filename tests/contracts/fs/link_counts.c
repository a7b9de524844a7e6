/* Link counts: a directory has 2 + subdirectories, a file one per name;
 * link(2) to a directory is EPERM; ctime moves on link and unlink. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

static long nlink(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_nlink : -1;
}

int main(void)
{
    mkdir("d", 0755);
    say("new dir %ld", nlink("d"));
    mkdir("d/a", 0755);
    mkdir("d/b", 0755);
    close(open("d/f", O_CREAT | O_WRONLY, 0644));
    say("with 2 subdirs and a file %ld", nlink("d"));
    rmdir("d/a");
    say("after rmdir %ld", nlink("d"));
    rename("d/b", "b");
    say("after moving a subdir out %ld, cwd gained", nlink("d"));
    say("file %ld", nlink("d/f"));
    SAY("link", link("d/f", "g"));
    say("after link %ld %ld", nlink("d/f"), nlink("g"));
    SAY("link to dir", link("d", "dd"));
    SAY("link onto existing", link("g", "d/f"));
    SAY("link missing", link("nope", "x"));
    SAY("link into missing dir", link("g", "nodir/x"));
    unlink("g");
    say("after unlink %ld", nlink("d/f"));
    int fd = open("d/f", O_RDONLY);
    unlink("d/f");
    struct stat st;
    fstat(fd, &st);
    say("open but unlinked %ld", (long)st.st_nlink);
    SAY("linkat of unlinked via AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "back", AT_EMPTY_PATH));
    return 0;
}
