/* Giving an O_TMPFILE file a name: linkat with AT_EMPTY_PATH and through
 * /proc/self/fd with AT_SYMLINK_FOLLOW; O_EXCL makes it unlinkable; other
 * files with no links left cannot be linked back. */
#include "contract.h"
#include "vfs.h"

static void show(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        say("%s: %s", path, errname(errno));
        return;
    }
    char buf[16] = {0};
    int fd = open(path, O_RDONLY);
    read(fd, buf, 15);
    close(fd);
    say("%s: nlink %lu, holds \"%s\"", path, (unsigned long)st.st_nlink, buf);
}

int main(void)
{
    int fd = open(".", O_TMPFILE | O_RDWR, 0644);
    write(fd, "one", 3);
    SAY("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
    show("named");
    struct stat st;
    fstat(fd, &st);
    say("fd nlink after link: %lu", (unsigned long)st.st_nlink);
    SAY("link again under a second name", linkat(fd, "", AT_FDCWD, "named2", AT_EMPTY_PATH));
    SAY("link onto an existing name", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
    SAY("AT_EMPTY_PATH without the flag", linkat(fd, "", AT_FDCWD, "x", 0));

    int fd2 = open(".", O_TMPFILE | O_RDWR, 0644);
    write(fd2, "two", 3);
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd2);
    SAY("linkat /proc/self/fd/N without FOLLOW", linkat(AT_FDCWD, p, AT_FDCWD, "viaproc0", 0));
    show("viaproc0");
    SAY("linkat /proc/self/fd/N AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, p, AT_FDCWD, "viaproc", AT_SYMLINK_FOLLOW));
    show("viaproc");

    int fd3 = open(".", O_TMPFILE | O_RDWR | O_EXCL, 0644);
    SAY("O_TMPFILE|O_EXCL", fd3 >= 0);
    SAY("link an O_EXCL tmpfile", linkat(fd3, "", AT_FDCWD, "never", AT_EMPTY_PATH));
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd3);
    SAY("link an O_EXCL tmpfile via /proc", linkat(AT_FDCWD, p, AT_FDCWD, "never", AT_SYMLINK_FOLLOW));

    make_file("gone", "g", 0644);
    int fd4 = open("gone", O_RDONLY);
    unlink("gone");
    SAY("link back an unlinked file", linkat(fd4, "", AT_FDCWD, "back", AT_EMPTY_PATH));
    unlink("named");
    unlink("named2");
    SAY("link a tmpfile whose names were all removed", linkat(fd, "", AT_FDCWD, "again", AT_EMPTY_PATH));
    show("again");
    mkdir("sub", 0755);
    int dfd = open("sub", O_RDONLY | O_DIRECTORY);
    SAY("link a directory with AT_EMPTY_PATH", linkat(dfd, "", AT_FDCWD, "dirlink", AT_EMPTY_PATH));
    pid_t c = fork();
    if (c == 0) {
        int t = open(".", O_TMPFILE | O_RDWR, 0644);
        chmod(".", 0777);
        become_user(1000, 1000);
        SAY("user: AT_EMPTY_PATH on root's descriptor", linkat(t, "", AT_FDCWD, "userlink", AT_EMPTY_PATH));
        int t2 = open(".", O_TMPFILE | O_RDWR, 0644);
        SAY("user: AT_EMPTY_PATH on its own descriptor", linkat(t2, "", AT_FDCWD, "userlink2", AT_EMPTY_PATH));
        _exit(0);
    }
    int ws;
    waitpid(c, &ws, 0);
    say("child %s", wstatus(ws));
    return 0;
}
