/* /proc/self/mountinfo, /proc/self/mounts and /proc/self/mountstats
 * lines of mounts this test makes, field by field. */
#include "mnt.h"
#include <sys/sysmacros.h>

static void mounts_line(const char *rel)
{
    char want[PATH_MAX + 2], line[1024];
    snprintf(want, sizeof want, " %s/%s ", scratch, rel);
    FILE *f = fopen("/proc/self/mounts", "r");
    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, want);
        if (!p)
            continue;
        *p = 0;
        say("mounts: source=%s rest=%s", line, p + strlen(want));
    }
    fclose(f);
}

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    mkdir("t/with space", 0755);
    OK("mount", mount("src-a", "t/a", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k"));
    mkdir("t/a/b", 0755);
    OK("submount", mount("src-b", "t/a/b", "tmpfs", MS_RDONLY, NULL));
    OK("mount on a name with a space", mount("src c", "t/with space", "tmpfs", 0, NULL));
    show_mount("t/a");
    show_mount("t/a/b");
    show_mount("t/with\\040space");
    struct minfo a, b, t;
    find_mount("t/a", &a);
    find_mount("t/a/b", &b);
    find_mount("t", &t);
    say("b's parent is a: %d; a's parent is t: %d; ids differ: %d", b.parent == a.id, a.parent == t.id, a.id != b.id);
    struct stat st;
    stat("t/a", &st);
    say("major:minor is st_dev: %d", a.major == (int)major(st.st_dev) && a.minor == (int)minor(st.st_dev));
    mounts_line("t/a");
    mounts_line("t/a/b");
    char want[PATH_MAX + 64], line[1024];
    snprintf(want, sizeof want, "device src-a mounted on %s/t/a with fstype tmpfs\n", scratch);
    FILE *f = fopen("/proc/self/mountstats", "r");
    int seen = 0;
    while (f && fgets(line, sizeof line, f))
        seen |= strcmp(line, want) == 0;
    say("mountstats line: %d", seen);
    return 0;
}
