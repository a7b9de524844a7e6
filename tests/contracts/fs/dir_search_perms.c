/* Directory permissions for a non-root user: no x means no traversal
 * (EACCES) even to a known name, no r means no listing but lookups work,
 * no w means no create/unlink/rename, and access(2) reports each. */
#include "contract.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void)
{
    chmod(".", 0777);
    mkdir("nx", 0766);
    chmod("nx", 0766);
    close(open("nx/f", O_CREAT | O_WRONLY, 0666));
    mkdir("nr", 0733);
    chmod("nr", 0733);
    close(open("nr/f", O_CREAT | O_WRONLY, 0666));
    mkdir("nw", 0755);
    close(open("nw/f", O_CREAT | O_WRONLY, 0666));
    chmod("nw/f", 0666);
    pid_t pid = fork();
    if (pid == 0) {
        setgid(1000);
        setuid(1000);
        SAY("open through no-x dir", open("nx/f", O_RDONLY));
        SAY("stat through no-x dir", access("nx/f", F_OK));
        SAY("chdir into no-x", chdir("nx"));
        SAY("opendir no-x", opendir("nx") != NULL);
        SAY("open through no-r dir", open("nr/f", O_RDONLY) >= 0);
        SAY("opendir no-r", opendir("nr") != NULL);
        SAY("open no-r dir", open("nr", O_RDONLY));
        SAY("create in no-w dir", open("nw/g", O_CREAT | O_WRONLY, 0644));
        SAY("unlink in no-w dir", unlink("nw/f"));
        SAY("rename in no-w dir", rename("nw/f", "nw/g"));
        SAY("write file in no-w dir", open("nw/f", O_WRONLY) >= 0);
        SAY("mkdir in no-w dir", mkdir("nw/d", 0755));
        SAY("access nw W_OK", access("nw", W_OK));
        SAY("access nw X_OK", access("nw", X_OK));
        SAY("access nx X_OK", access("nx", X_OK));
        SAY("access nr R_OK", access("nr", R_OK));
        SAY("access nw/f R_OK|W_OK", access("nw/f", R_OK | W_OK));
        SAY("access nw/f X_OK", access("nw/f", X_OK));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("child %s", wstatus(st));
    return 0;
}
