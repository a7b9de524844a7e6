/* Trailing slashes and directories in open(2): ENOTDIR for a file named
 * with a slash, EISDIR for creating one or writing a directory. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    close(open("file", O_CREAT | O_WRONLY, 0644));
    mkdir("dir", 0755);
    SAY("file/", open("file/", O_RDONLY));
    SAY("file/ O_CREAT", open("file/", O_CREAT | O_WRONLY, 0644));
    SAY("new/ O_CREAT", open("new/", O_CREAT | O_WRONLY, 0644));
    SAY("new/ exists after", access("new", F_OK));
    SAY("dir/ read", open("dir/", O_RDONLY) >= 0);
    SAY("dir O_WRONLY", open("dir", O_WRONLY));
    SAY("dir O_RDWR", open("dir", O_RDWR));
    SAY("dir O_CREAT", open("dir", O_CREAT | O_RDONLY, 0644));
    SAY("dir O_TRUNC rdonly", open("dir", O_RDONLY | O_TRUNC));
    SAY("dir O_DIRECTORY|O_CREAT", open("dir2", O_DIRECTORY | O_CREAT | O_RDONLY, 0755));
    SAY("file O_DIRECTORY", open("file", O_RDONLY | O_DIRECTORY));
    SAY("missing/x", open("missing/x", O_RDONLY));
    SAY("file/x", open("file/x", O_RDONLY));
    SAY("file/x O_CREAT", open("file/x", O_CREAT | O_WRONLY, 0644));
    SAY("mkdir dir3/", mkdir("dir3/", 0755));
    SAY("mkdir file/", mkdir("file/", 0755));
    SAY("mkdir dir", mkdir("dir", 0755));
    SAY("stat file/", access("file/", F_OK));
    SAY("stat dir/", access("dir/", F_OK));
    SAY("stat dir/.", access("dir/.", F_OK));
    SAY("stat file/.", access("file/.", F_OK));
    SAY("unlink file/", unlink("file/"));
    SAY("rmdir dir/", rmdir("dir/"));
    SAY("rmdir dir3/.", rmdir("dir3/."));
    SAY("rename file/ x", rename("file/", "x"));
    SAY("rename dir3/ dir4/", rename("dir3/", "dir4/"));
    rmdir("dir4");
    unlink("file");
    return 0;
}
