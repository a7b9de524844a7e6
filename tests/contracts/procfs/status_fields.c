/* /proc/self/status: the fields programs parse, with values that follow
 * from what the test did (signal masks, ids, thread count, umask). */
#include "contract.h"
#include <sys/syscall.h>
#include <signal.h>
#include <sys/stat.h>

static char text[8192];

static const char *field(const char *name)
{
    static char v[256];
    size_t n = strlen(name);
    for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (!strncmp(l, name, n) && l[n] == ':') {
            char *s = l + n + 1;
            while (*s == '\t' || *s == ' ')
                s++;
            size_t len = strcspn(s, "\n");
            snprintf(v, sizeof v, "%.*s", (int)len, s);
            return v;
        }
    }
    return "(missing)";
}

static void load(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
}

int main(void)
{
    umask(027);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    /* Ignored dispositions are inherited from whoever ran us: start
     * from the defaults so SigIgn shows only ours. The raw call, since
     * the C libraries refuse to touch the signals they reserve (32-34). */
    struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } dfl = { SIG_DFL, 0, 0, 0 };
    for (int sig = 1; sig < 65; sig++)
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    load();
    const char *names[] = {"Name", "Umask", "State", "Tgid", "Pid", "PPid", "TracerPid", "Uid", "Gid",
                           "FDSize", "Groups", "VmPeak", "VmSize", "VmHWM", "VmRSS", "Threads", "SigQ",
                           "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff",
                           "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Cpus_allowed_list",
                           "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        say("%s present: %d", names[i], strcmp(field(names[i]), "(missing)") != 0);
    say("Umask: %s", field("Umask"));
    say("State: %s", field("State"));
    say("Tgid is pid: %d", atoi(field("Tgid")) == getpid());
    say("PPid is ppid: %d", atoi(field("PPid")) == getppid());
    say("Uid: %s", field("Uid"));
    say("Threads: %s", field("Threads"));
    say("SigBlk: %s", field("SigBlk"));
    say("SigIgn: %s", field("SigIgn"));
    say("SigPnd: %s", field("SigPnd"));
    say("NoNewPrivs: %s", field("NoNewPrivs"));
    raise(SIGUSR1);
    load();
    say("SigPnd after raise: %s", field("SigPnd"));
    return 0;
}
