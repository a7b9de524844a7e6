/* Permission checks for an unprivileged user: read/write/search bits,
 * owner-only chmod, group changes, the sticky /tmp rule. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void)
{
    chmod(".", 0777);
    mkdir("sticky", 01777);
    chmod("sticky", 01777);
    close(open("sticky/roots", O_CREAT | O_WRONLY, 0666));
    chmod("sticky/roots", 0666);
    close(open("ro", O_CREAT | O_WRONLY, 0444));
    chmod("ro", 0444);
    close(open("wo", O_CREAT | O_WRONLY, 0222));
    chmod("wo", 0222);
    mkdir("nox", 0666);
    chmod("nox", 0666);
    close(open("nox/inside", O_CREAT | O_WRONLY, 0644));
    mkdir("grp", 0770);
    chown("grp", 0, 2000);
    chmod("grp", 0770);
    pid_t p = fork();
    if (p == 0) {
        gid_t groups[1] = {2000};
        setgroups(1, groups);
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        SAY("open 0444 for writing", open("ro", O_WRONLY));
        SAY("open 0444 for reading", open("ro", O_RDONLY) >= 0);
        SAY("open 0222 for reading", open("wo", O_RDONLY));
        SAY("search a dir without x", access("nox/inside", F_OK));
        SAY("list a dir without x (opendir)", open("nox", O_RDONLY | O_DIRECTORY) >= 0);
        SAY("access R_OK on 0444", access("ro", R_OK));
        SAY("access W_OK on 0444", access("ro", W_OK));
        SAY("chmod someone else's file", chmod("ro", 0644));
        SAY("create in a group-writable dir via supplementary group", open("grp/mine", O_CREAT | O_WRONLY, 0644) >= 0);
        int fd = open("mine", O_CREAT | O_WRONLY, 04755);
        struct stat st;
        fstat(fd, &st);
        say("own file: uid %u gid %u", st.st_uid, st.st_gid);
        SAY("chmod own file", chmod("mine", 02755));
        stat("mine", &st);
        say("setgid kept only if in the group: mode %o", st.st_mode & 07777);
        SAY("chown own file to self", chown("mine", 1000, 1000));
        SAY("chgrp own file to a supplementary group", chown("mine", -1, 2000));
        SAY("chgrp own file to a foreign group", chown("mine", -1, 3000));
        SAY("give own file away", chown("mine", 0, -1));
        SAY("delete root's file in sticky dir", unlink("sticky/roots"));
        SAY("rename root's file in sticky dir", rename("sticky/roots", "sticky/x"));
        close(open("sticky/mine", O_CREAT | O_WRONLY, 0644));
        SAY("delete own file in sticky dir", unlink("sticky/mine"));
        SAY("write root's 0666 file in sticky dir", open("sticky/roots", O_WRONLY) >= 0);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
