/* Symlink resolution: loops are ELOOP, a chain of 40 links resolves and
 * 41 does not, O_NOFOLLOW, dangling links with O_CREAT and O_EXCL,
 * links to directories in the middle of a path. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    symlink("b", "a");
    symlink("a", "b");
    SAY("loop open", open("a", O_RDONLY));
    SAY("loop stat", access("a", F_OK));
    SAY("loop lstat", ({ struct stat st; lstat("a", &st); }));
    close(open("real", O_CREAT | O_WRONLY, 0644));
    char cur[16], prev[16] = "real";
    for (int i = 1; i <= 41; i++) {
        snprintf(cur, sizeof cur, "c%d", i);
        symlink(prev, cur);
        strcpy(prev, cur);
    }
    SAY("chain of 40", access("c40", F_OK));
    SAY("chain of 41", access("c41", F_OK));
    SAY("O_NOFOLLOW on link", open("c1", O_RDONLY | O_NOFOLLOW));
    SAY("O_NOFOLLOW|O_PATH on link", open("c1", O_PATH | O_NOFOLLOW) >= 0);
    SAY("O_NOFOLLOW on file", open("real", O_RDONLY | O_NOFOLLOW) >= 0);
    symlink("made-through-link", "dangling");
    SAY("dangling open", open("dangling", O_RDONLY));
    SAY("dangling O_CREAT|O_EXCL", open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SAY("dangling O_CREAT", open("dangling", O_CREAT | O_WRONLY, 0644) >= 0);
    SAY("target made", access("made-through-link", F_OK));
    mkdir("d", 0755);
    close(open("d/inner", O_CREAT | O_WRONLY, 0644));
    symlink("d", "dl");
    SAY("through dir link", access("dl/inner", F_OK));
    SAY("link/.. is the dir's parent", access("dl/../real", F_OK));
    SAY("O_DIRECTORY through link", open("dl", O_RDONLY | O_DIRECTORY) >= 0);
    SAY("O_NOFOLLOW|O_DIRECTORY on dir link", open("dl", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    SAY("file link as dir", access("c1/x", F_OK));
    SAY("mkdir through dangling", mkdir("dangling2", 0755));
    symlink("newdir", "dangling3");
    SAY("mkdir on dangling link name", mkdir("dangling3", 0755));
    SAY("unlink link keeps target", unlink("dl"));
    SAY("target still there", access("d/inner", F_OK));
    return 0;
}
