/* /proc/self/fd and fdinfo: the links name files, pipes, devices and
 * deleted files as Linux does; fdinfo shows the offset and the open flags
 * in octal; the directory lists exactly the open descriptors. */
#include "contract.h"
#include <dirent.h>
#include <fcntl.h>

static void link_of(int fd, const char *label)
{
    char path[64], target[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        say("%s: -1 %s", label, errname(errno));
        return;
    }
    target[n] = 0;
    /* The scratch directory's name varies: spell it "<cwd>". */
    char cwd[256];
    size_t cl = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (cl && !strncmp(target, cwd, cl) && target[cl] == '/') {
        char rest[256];
        snprintf(rest, sizeof rest, "<cwd>%s", target + cl);
        strcpy(target, rest);
    }
    /* Inode numbers vary: keep the shape "pipe:[N]". */
    char *br = strchr(target, '[');
    if (br && br[1] >= '0' && br[1] <= '9')
        strcpy(br, "[N]");
    say("%s: %s", label, target);
}

static void fdinfo(int fd, const char *label)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    int n = read(f, text, sizeof text - 1);
    close(f);
    text[n > 0 ? n : 0] = 0;
    char *pos = strstr(text, "pos:"), *flags = strstr(text, "flags:"), *mnt = strstr(text, "mnt_id:");
    say("%s: pos %ld flags %s mnt_id %d", label, pos ? atol(pos + 4) : -1L,
        flags ? strtok(flags + 6, " \t\n") : "?", mnt != NULL);
}

int main(void)
{
    int d = open("data", O_RDWR | O_CREAT | O_APPEND, 0600);
    write(d, "hello", 5);
    link_of(d, "regular file (relative to the scratch dir)");
    fdinfo(d, "data");
    int p[2];
    pipe2(p, O_NONBLOCK);
    link_of(p[0], "pipe read end");
    fdinfo(p[1], "pipe write end");
    int n = open("/dev/null", O_WRONLY | O_CLOEXEC);
    link_of(n, "/dev/null");
    fdinfo(n, "/dev/null");
    int g = open("gone", O_RDWR | O_CREAT, 0600);
    unlink("gone");
    link_of(g, "deleted file");
    link_of(99, "closed descriptor");

    DIR *dir = opendir("/proc/self/fd");
    int count = 0, seen_d = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        count++;
        seen_d |= atoi(e->d_name) == d;
    }
    closedir(dir);
    say("entries: %d (0-2, opendir's, and five more), data listed %d", count, seen_d);
    return 0;
}
