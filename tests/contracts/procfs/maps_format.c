/* /proc/self/maps lines for mappings the test makes: permissions,
 * private/shared, offset, and the file name; [heap] and [stack] exist;
 * smaps has a Size line per mapping. */
#include "contract.h"
#include <fcntl.h>
#include <sys/mman.h>

static char text[65536];

static void load(void)
{
    int f = open("/proc/self/maps", O_RDONLY);
    int n = 0, r;
    while ((r = read(f, text + n, sizeof text - 1 - n)) > 0)
        n += r;
    text[n] = 0;
    close(f);
}

/* Prints the line of the mapping starting at `addr`, without addresses
 * and device/inode numbers. */
static void show(void *addr, const char *label)
{
    char key[32];
    snprintf(key, sizeof key, "%lx-", (unsigned long)addr);
    for (char *l = text; *l; l = strchr(l, '\n') + 1) {
        if (!strncmp(l, key, strlen(key))) {
            char line[512], range[64], perms[8], off[32], dev[16], name[256] = "";
            unsigned long ino;
            /* One line only: a blank in the format would skip the newline. */
            size_t len = strcspn(l, "\n");
            snprintf(line, sizeof line, "%.*s", (int)len, l);
            sscanf(line, "%63s %7s %31s %15s %lu %255[^\n]", range, perms, off, dev, &ino, name);
            char *nm = name;
            while (*nm == ' ')
                nm++;
            const char *base = strrchr(nm, '/') ? strrchr(nm, '/') + 1 : nm;
            say("%s: %s offset %s anon %d name '%s'", label, perms, off, ino == 0, base);
            return;
        }
        if (!strchr(l, '\n'))
            break;
    }
    say("%s: not found", label);
}

int main(void)
{
    char *a = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *c = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int fd = open("mapped", O_RDWR | O_CREAT, 0600);
    ftruncate(fd, 16384);
    char *d = mmap(NULL, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 4096);
    char *e = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    malloc(100000); /* a heap or an mmap, either way */
    load();
    show(a, "private read-only anon");
    show(b, "shared anon");
    show(c, "PROT_NONE");
    show(d, "private file at 4096");
    show(e, "shared file");
    say("[stack] present: %d", strstr(text, "[stack]") != NULL);
    int f = open("/proc/self/smaps", O_RDONLY);
    int n = read(f, text, sizeof text - 1);
    text[n > 0 ? n : 0] = 0;
    say("smaps has Size: %d, Rss: %d", strstr(text, "\nSize:") != NULL, strstr(text, "\nRss:") != NULL);
    return 0;
}
