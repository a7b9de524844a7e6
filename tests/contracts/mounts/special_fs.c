/* proc, sysfs and devpts mounts, their options, and ENODEV for types
 * this kernel does not have. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/p", 0755);
    mkdir("t/s", 0755);
    mkdir("t/d", 0755);
    OK("proc", mount("proc", "t/p", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    SAY("t/p/self/stat", access("t/p/self/stat", R_OK));
    show_mount("t/p");
    SAY("proc with an unknown option", mount("proc", "t/p", "proc", 0, "bogus"));
    OK("sysfs", mount("sysfs", "t/s", "sysfs", MS_RDONLY, NULL));
    SAY("t/s/kernel", access("t/s/kernel", F_OK));
    show_mount("t/s");
    OK("devpts", mount("devpts", "t/d", "devpts", 0, "newinstance,ptmxmode=000,mode=600"));
    SAY("t/d/ptmx", access("t/d/ptmx", F_OK));
    show_mount("t/d");
    SAY("devpts with an unknown option", mount("devpts", "t/d", "devpts", 0, "bogus"));
    SAY("no such type", mount("x", "t/d", "kevlarfs", 0, NULL));
    return 0;
}
