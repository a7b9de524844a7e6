/* Capabilities basics: root holds them (the checked ones), dropping one
 * takes away what it allows even for uid 0, and leaving uid 0 clears the
 * sets (unless PR_SET_KEEPCAPS). */
#include "contract.h"
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* From linux/capability.h (musl has no kernel headers). */
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SYS_ADMIN 21
struct __user_cap_header_struct { unsigned version; int pid; };
struct __user_cap_data_struct { unsigned effective, permitted, inheritable; };

static struct __user_cap_data_struct data[2];

static int get(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    return syscall(SYS_capget, &h, data);
}

static int has(int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1; }
static int permitted(int cap) { return (data[cap / 32].permitted >> (cap % 32)) & 1; }

int main(void)
{
    SAY("capget v3", get());
    say("root has CHOWN=%d KILL=%d SETUID=%d SETGID=%d SYS_ADMIN=%d DAC_OVERRIDE=%d", has(CAP_CHOWN), has(CAP_KILL),
        has(CAP_SETUID), has(CAP_SETGID), has(CAP_SYS_ADMIN), has(CAP_DAC_OVERRIDE));
    struct __user_cap_header_struct bad = {0x12345678, 0};
    SAY("capget bad version", syscall(SYS_capget, &bad, data));
    say("kernel suggests version 3: %d", bad.version == _LINUX_CAPABILITY_VERSION_3);
    struct __user_cap_header_struct probe = {0, 0};
    SAY("capget version probe with NULL data", syscall(SYS_capget, &probe, 0));
    SAY("PR_CAPBSET_READ(CAP_CHOWN)", prctl(PR_CAPBSET_READ, CAP_CHOWN));
    SAY("PR_CAPBSET_READ(999)", prctl(PR_CAPBSET_READ, 999));

    int fd = open("file", O_WRONLY | O_CREAT, 0644);
    close(fd);
    pid_t p = fork();
    if (p == 0) {
        /* Drop CAP_CHOWN from effective and permitted: chown fails as root. */
        get();
        data[0].effective &= ~(1u << CAP_CHOWN);
        data[0].permitted &= ~(1u << CAP_CHOWN);
        struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
        SAY("capset drop CHOWN", syscall(SYS_capset, &h, data));
        SAY("chown without CAP_CHOWN", chown("file", 1000, 1000));
        get();
        data[0].permitted |= 1u << CAP_CHOWN;
        SAY("capset regain CHOWN", syscall(SYS_capset, &h, data));
        struct __user_cap_header_struct other = {_LINUX_CAPABILITY_VERSION_3, 1};
        SAY("capset on another process", syscall(SYS_capset, &other, data));
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    p = fork();
    if (p == 0) {
        setresuid(1000, 1000, 1000);
        get();
        say("after leaving uid 0: SETUID=%d permitted SETUID=%d", has(CAP_SETUID), permitted(CAP_SETUID));
        _exit(0);
    }
    waitpid(p, &st, 0);
    p = fork();
    if (p == 0) {
        SAY("PR_SET_KEEPCAPS", prctl(PR_SET_KEEPCAPS, 1));
        SAY("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS));
        setresuid(1000, 1000, 1000);
        get();
        say("keepcaps: effective SETUID=%d permitted SETUID=%d", has(CAP_SETUID), permitted(CAP_SETUID));
        _exit(0);
    }
    waitpid(p, &st, 0);
    p = fork();
    if (p == 0) {
        seteuid(1000);
        get();
        say("euid 1000 (ruid 0): effective SETUID=%d permitted SETUID=%d", has(CAP_SETUID), permitted(CAP_SETUID));
        seteuid(0);
        get();
        say("euid back to 0: effective SETUID=%d", has(CAP_SETUID));
        _exit(0);
    }
    waitpid(p, &st, 0);
    SAY("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    SAY("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    SAY("PR_GET_NO_NEW_PRIVS now", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return 0;
}
