/* uname: sysname Linux, machine x86_64, non-empty release and version,
 * every field NUL-terminated; EFAULT for a bad pointer. */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/utsname.h>

int main(void)
{
    struct utsname u;
    memset(&u, 'x', sizeof u);
    OK("uname", uname(&u));
    say("sysname: %s", u.sysname);
    say("machine: %s", u.machine);
    say("release non-empty: %d", u.release[0] != 0);
    say("release starts with a digit: %d", u.release[0] >= '0' && u.release[0] <= '9');
    say("version non-empty: %d", u.version[0] != 0);
    say("nodename non-empty: %d", u.nodename[0] != 0);
    say("all terminated: %d", memchr(u.sysname, 0, 65) && memchr(u.nodename, 0, 65) && memchr(u.release, 0, 65) &&
                                  memchr(u.version, 0, 65) && memchr(u.machine, 0, 65) && memchr(u.domainname, 0, 65));
    SAY("bad pointer", syscall(SYS_uname, (void *)16));
    return 0;
}
