/* /proc/self/limits: Linux's table (header, 16 rows in its order, units,
 * "unlimited"), and that setrlimit shows there at once. */
#include "procutil.h"
#include <sys/resource.h>

static char text[8192];

static void load(void)
{
    int fd = open("/proc/self/limits", O_RDONLY);
    int n = 0, r;
    while ((r = read(fd, text + n, sizeof text - 1 - n)) > 0)
        n += r;
    text[n] = 0;
    close(fd);
}

static void row(const char *name)
{
    char *l = strstr(text, name);
    if (!l) {
        say("%s: missing", name);
        return;
    }
    char line[128];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(l, "\n"), l);
    say("%s", line);
}

int main(void)
{
    struct rlimit r = { 1000, 2000 };
    setrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = 8388608;
    r.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_STACK, &r);
    r.rlim_cur = r.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &r);
    r.rlim_cur = r.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_AS, &r);
    setrlimit(RLIMIT_FSIZE, &r);
    r.rlim_cur = 30;
    r.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_CPU, &r);
    load();
    char header[128];
    snprintf(header, sizeof header, "%.*s", (int)strcspn(text, "\n"), text);
    say("header: %s", header);
    int rows = 0;
    for (char *p = text; *p; p++)
        rows += *p == '\n';
    say("lines: %d", rows);
    row("Max cpu time");
    row("Max file size");
    row("Max stack size");
    row("Max core file size");
    row("Max open files");
    row("Max address space");
    say("order: cpu < file size < data < stack < core < resident < processes < open files: %d",
        strstr(text, "Max cpu time") < strstr(text, "Max file size") && strstr(text, "Max file size") < strstr(text, "Max data size") &&
            strstr(text, "Max data size") < strstr(text, "Max stack size") && strstr(text, "Max stack size") < strstr(text, "Max core file size") &&
            strstr(text, "Max core file size") < strstr(text, "Max resident set") && strstr(text, "Max resident set") < strstr(text, "Max processes") &&
            strstr(text, "Max processes") < strstr(text, "Max open files"));
    say("last row is realtime timeout: %d", strstr(text, "Max realtime timeout") != NULL);
    return 0;
}
