/* /proc/locks lists flock, POSIX and OFD locks in Linux's format (only
 * the lines of this test's file are shown, without ids and pids). */
#include "lockutil.h"
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void show(const char *label, const char *file)
{
    struct stat st;
    stat(file, &st);
    char key[64];
    snprintf(key, sizeof key, " %02x:%02x:%lu ", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
    FILE *f = fopen("/proc/locks", "r");
    char line[256];
    int n = 0;
    char rows[8][160];
    say("%s:", label);
    while (f && fgets(line, sizeof line, f)) {
        char *k = strstr(line, key);
        if (!k)
            continue;
        n++;
        /* "N: CLASS  ADVISORY  TYPE PID dev:ino start end" */
        char *colon = strchr(line, ':');
        char cls[16], adv[16], type[16];
        long pid;
        if (sscanf(colon + 1, "%15s %15s %15s %ld", cls, adv, type, &pid) != 4)
            continue;
        char *tail = k + strlen(key);
        tail[strcspn(tail, "\n")] = 0;
        if (n <= 8)
            snprintf(rows[n - 1], sizeof rows[0], "  %s %s %s pid=%s range=%s id-ok=%d fixed-width=%d", cls, adv, type,
                     pid == getpid() ? "self" : pid == -1 ? "-1" : "other", tail, atoi(line) > 0,
                     strncmp(colon + 2, cls, strlen(cls)) == 0 && colon[1] == ' ');
    }
    if (f)
        fclose(f);
    /* Linux lists per-CPU lists: the order is not stable, so sort. */
    for (int i = 0; i < n && i < 8; i++)
        for (int j = i + 1; j < n && j < 8; j++)
            if (strcmp(rows[i], rows[j]) > 0) {
                char t[160];
                strcpy(t, rows[i]);
                strcpy(rows[i], rows[j]);
                strcpy(rows[j], t);
            }
    for (int i = 0; i < n && i < 8; i++)
        say("%s", rows[i]);
    say("  %d lines", n);
}

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDWR);
    flock(a, LOCK_EX);
    show("flock", "f");
    flock(a, LOCK_UN);
    lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    lk(a, F_SETLK, F_RDLCK, SEEK_SET, 20, 0);
    show("posix", "f");
    lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
    fcntl(b, F_OFD_SETLK, &fl);
    show("ofd", "f");
    close(b);
    show("none", "f");
    return 0;
}
