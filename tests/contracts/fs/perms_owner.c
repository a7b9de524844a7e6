/* Ownership rules for a non-root user: chown is EPERM, chgrp to a group
 * one is in is fine, chmod of another's file is EPERM, chmod drops the
 * set-group-id bit when the owner is not in the group, writing drops
 * set-user-id, the sticky /tmp-like directory protects others' files. */
#include "contract.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int mode_of(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

int main(void)
{
    chmod(".", 0777);
    mkdir("t", 01777);
    chmod("t", 01777);
    close(open("t/roots", O_CREAT | O_WRONLY, 0666));
    chmod("t/roots", 0666);
    close(open("t/mine", O_CREAT | O_WRONLY, 0666));
    chown("t/mine", 1000, 1000);
    pid_t pid = fork();
    if (pid == 0) {
        gid_t groups[1] = { 2000 };
        setgroups(1, groups);
        setgid(1000);
        setuid(1000);
        SAY("chown own file to root", chown("t/mine", 0, 0));
        SAY("chgrp own file to own group", chown("t/mine", -1, 2000));
        SAY("chgrp own file to other group", chown("t/mine", -1, 3000));
        SAY("chmod others' file", chmod("t/roots", 0600));
        SAY("chmod own 02755", chmod("t/mine", 02755));
        say("mode now %o", mode_of("t/mine"));
        chown("t/mine", -1, 1000);
        SAY("chmod 02755 in own group", chmod("t/mine", 02755));
        say("mode now %o", mode_of("t/mine"));
        SAY("chmod 04755", chmod("t/mine", 04755));
        int fd = open("t/mine", O_WRONLY);
        write(fd, "x", 1);
        close(fd);
        say("after write %o", mode_of("t/mine"));
        SAY("unlink others' file in sticky dir", unlink("t/roots"));
        SAY("rename others' file in sticky dir", rename("t/roots", "t/x"));
        SAY("write others' 0666 file", (fd = open("t/roots", O_WRONLY)) >= 0);
        close(fd);
        SAY("unlink own file", unlink("t/mine"));
        SAY("create in sticky dir", (fd = open("t/new", O_CREAT | O_WRONLY, 0600)) >= 0);
        SAY("utimes others' file (write access, now)", utimensat(AT_FDCWD, "t/roots", NULL, 0));
        struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
        SAY("utimes others' file (explicit)", utimensat(AT_FDCWD, "t/roots", ts, 0));
        SAY("utimes own file (explicit)", utimensat(AT_FDCWD, "t/new", ts, 0));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    SAY("root may delete in sticky dir", unlink("t/new"));
    return 0;
}
