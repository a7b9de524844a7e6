/* Name and path length limits: a 255-byte component is fine, 256 is
 * ENAMETOOLONG; a path of 4095 bytes resolves, 4096 is ENAMETOOLONG;
 * an empty path is ENOENT unless AT_EMPTY_PATH. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    char name[300];
    memset(name, 'n', 255);
    name[255] = 0;
    int fd = open(name, O_CREAT | O_WRONLY, 0644);
    SAY("255-byte name", fd >= 0);
    close(fd);
    SAY("unlink it", unlink(name));
    memset(name, 'n', 256);
    name[256] = 0;
    SAY("256-byte name", open(name, O_CREAT | O_WRONLY, 0644));
    SAY("256-byte mkdir", mkdir(name, 0755));
    SAY("256-byte stat", access(name, F_OK));
    static char path[5000];
    /* "./././..." then a name: lengths chosen exactly */
    int n = 0;
    while (n < 4094 - 2)
        path[n++] = '.', path[n++] = '/';
    path[n] = 0;
    close(open("f", O_CREAT | O_WRONLY, 0644));
    strcpy(path + 4093, "f");
    say("length %zu", strlen(path));
    SAY("4094-byte path", access(path, F_OK));
    path[4092] = '/';
    strcpy(path + 4093, "/f");
    say("length %zu", strlen(path));
    SAY("4095-byte path", access(path, F_OK));
    strcpy(path + 4093, "//f");
    say("length %zu", strlen(path));
    SAY("4096-byte path", access(path, F_OK));
    SAY("empty path", access("", F_OK));
    SAY("empty open", open("", O_RDONLY));
    struct stat st;
    fd = open("f", O_RDONLY);
    SAY("fstatat empty", fstatat(fd, "", &st, 0));
    SAY("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
    SAY("mkdir empty", mkdir("", 0755));
    SAY("unlink empty", unlink(""));
    SAY("symlink empty target", symlink("", "lnk"));
    SAY("chdir empty", chdir(""));
    unlink("f");
    return 0;
}
