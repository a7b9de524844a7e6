/* /proc/self/fd lists open descriptors as links; fdinfo shows offset and
 * flags; a pipe reads as pipe:[ino]; opening fd/N reopens the file. */
#include "contract.h"
#include <dirent.h>
#include <fcntl.h>

int main(void)
{
    int f = open("data", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    write(f, "abcdef", 6);
    lseek(f, 2, SEEK_SET);
    int p[2];
    pipe(p);
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    int n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    say("file link ends with /data: %d", n > 5 && strcmp(buf + n - 5, "/data") == 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    say("pipe link starts with pipe:[: %d", strncmp(buf, "pipe:[", 6) == 0);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", f);
    int fd = open(path, O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    long pos = -1;
    unsigned flags = 0;
    sscanf(strstr(buf, "pos:") + 4, "%ld", &pos);
    sscanf(strstr(buf, "flags:") + 6, "%o", &flags);
    say("fdinfo pos %ld, O_RDWR %d, O_CLOEXEC %d", pos, (flags & O_ACCMODE) == O_RDWR, (flags & O_CLOEXEC) != 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    int again = open(path, O_RDONLY);
    n = read(again, buf, 6);
    buf[n > 0 ? n : 0] = 0;
    say("reopened through /proc reads from the start: %s", buf);
    DIR *d = opendir("/proc/self/fd");
    int count = 0, has0 = 0, hasf = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        count++;
        has0 |= atoi(e->d_name) == 0 && e->d_name[0] == '0';
        hasf |= atoi(e->d_name) == f;
        if (e->d_type != DT_LNK)
            say("entry %s is not a link", e->d_name);
    }
    closedir(d);
    say("fd dir lists fd 0: %d and the file: %d", has0, hasf);
    SAY("readlink of a closed fd", readlink("/proc/self/fd/77", buf, sizeof buf));
    return 0;
}
