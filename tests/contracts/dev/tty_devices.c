/* /dev/tty, /dev/console, /dev/ptmx as device files: numbers, types,
 * /dev/tty without a controlling terminal (ENXIO), /dev/ptmx opening a
 * new master each time. */
#include "contract.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

int main(void)
{
    struct stat st;
    const char *devs[] = { "/dev/tty", "/dev/console", "/dev/ptmx" };
    for (int i = 0; i < 3; i++) {
        if (stat(devs[i], &st) == 0)
            say("%s: char %d %d:%d", devs[i], S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
    }
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        SAY("/dev/tty with no controlling terminal", open("/dev/tty", O_RDWR));
        _exit(0);
    }
    int s;
    waitpid(pid, &s, 0);
    int a = open("/dev/ptmx", O_RDWR | O_NOCTTY), b = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    say("two masters %d different slaves %d", a >= 0 && b >= 0, strcmp(ptsname(a) ? ptsname(a) : "", "") && 1);
    char pa[64];
    strcpy(pa, ptsname(a));
    say("names differ %d prefix /dev/pts/ %d", strcmp(pa, ptsname(b)) != 0, strncmp(pa, "/dev/pts/", 9) == 0);
    SAY("slave locked until unlockpt", open(pa, O_RDWR | O_NOCTTY));
    return 0;
}
