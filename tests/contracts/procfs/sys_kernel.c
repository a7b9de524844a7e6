/* /proc/sys: the kernel's identity and limits as programs read them
 * (uname agrees with ostype/osrelease/hostname; boot_id is stable and
 * uuid fresh, both in UUID form; numeric limits), and what writing to a
 * read-only entry or a bad value does. */
#include "procutil.h"
#include <ctype.h>
#include <fcntl.h>
#include <sys/utsname.h>


static int is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int is_number(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

int main(void)
{
    struct utsname u;
    uname(&u);
    say("ostype: %s", get("/proc/sys/kernel/ostype"));
    say("osrelease is uname's: %d", !strcmp(get("/proc/sys/kernel/osrelease"), u.release));
    say("version is uname's: %d", !strcmp(get("/proc/sys/kernel/version"), u.version));
    say("hostname is uname's: %d", !strcmp(get("/proc/sys/kernel/hostname"), u.nodename));
    say("domainname is uname's: %d", !strcmp(get("/proc/sys/kernel/domainname"), u.domainname));
    char boot[64];
    snprintf(boot, sizeof boot, "%s", get("/proc/sys/kernel/random/boot_id"));
    say("boot_id is a uuid: %d, stable: %d", is_uuid(boot), !strcmp(boot, get("/proc/sys/kernel/random/boot_id")));
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", get("/proc/sys/kernel/random/uuid"));
    say("uuid is a uuid: %d, version 4: %d, fresh: %d", is_uuid(uuid), uuid[14] == '4',
        strcmp(uuid, get("/proc/sys/kernel/random/uuid")) != 0);
    say("entropy_avail: %s, poolsize: %s", get("/proc/sys/kernel/random/entropy_avail"), get("/proc/sys/kernel/random/poolsize"));
    say("ngroups_max: %s", get("/proc/sys/kernel/ngroups_max"));
    say("cap_last_cap: %s", get("/proc/sys/kernel/cap_last_cap"));
    say("overflowuid: %s, overflowgid: %s", get("/proc/sys/kernel/overflowuid"), get("/proc/sys/kernel/overflowgid"));
    say("pid_max is a number: %d", is_number(get("/proc/sys/kernel/pid_max")));
    say("threads-max is a number: %d", is_number(get("/proc/sys/kernel/threads-max")));
    say("nr_open: %s", get("/proc/sys/fs/nr_open"));
    say("file-max is a number: %d", is_number(get("/proc/sys/fs/file-max")));
    say("overcommit_memory: %s", get("/proc/sys/vm/overcommit_memory"));
    say("no such entry: %s", get("/proc/sys/kernel/no_such_entry"));
    int fd = open("/proc/sys/kernel/ostype", O_WRONLY);
    say("open ostype for writing: %s", fd < 0 ? errname(errno) : "opened");
    fd = open("/proc/sys/kernel/random/boot_id", O_WRONLY);
    say("open boot_id for writing: %s", fd < 0 ? errname(errno) : "opened");
    return 0;
}
