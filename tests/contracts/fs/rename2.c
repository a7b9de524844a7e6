/* renameat2: RENAME_NOREPLACE and RENAME_EXCHANGE. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static long rename2(const char *a, const char *b, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void content(const char *p)
{
    char buf[8] = {0};
    int fd = open(p, O_RDONLY);
    read(fd, buf, 7);
    close(fd);
    say("%s holds %s", p, buf);
}

int main(void)
{
    int fd = open("a", O_CREAT | O_WRONLY, 0644);
    write(fd, "AAA", 3);
    close(fd);
    fd = open("b", O_CREAT | O_WRONLY, 0644);
    write(fd, "BBB", 3);
    close(fd);
    SAY("NOREPLACE onto existing", rename2("a", "b", 1));
    SAY("NOREPLACE onto new", rename2("a", "c", 1));
    SAY("EXCHANGE", rename2("c", "b", 2));
    content("b");
    content("c");
    SAY("EXCHANGE with missing", rename2("c", "zzz", 2));
    SAY("EXCHANGE|NOREPLACE", rename2("c", "b", 3));
    SAY("unknown flag", rename2("c", "b", 64));
    mkdir("d", 0755);
    SAY("EXCHANGE file and dir", rename2("c", "d", 2));
    struct stat st;
    stat("c", &st);
    say("c is now a dir: %d", S_ISDIR(st.st_mode));
    return 0;
}
