/* open/openat flags: O_CREAT|O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
 * O_NOFOLLOW, O_PATH, O_CLOEXEC, access modes, and their errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    int fd = open("f", O_WRONLY | O_CREAT | O_EXCL, 0640);
    say("create: %d", fd >= 0);
    write(fd, "hello", 5);
    close(fd);
    SAY("O_CREAT|O_EXCL on existing", open("f", O_WRONLY | O_CREAT | O_EXCL, 0640));
    struct stat st;
    stat("f", &st);
    say("mode %o size %ld", st.st_mode & 07777, (long)st.st_size);
    fd = open("f", O_WRONLY | O_TRUNC);
    fstat(fd, &st);
    say("O_TRUNC size %ld", (long)st.st_size);
    write(fd, "abc", 3);
    close(fd);
    fd = open("f", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "def", 3);
    say("O_APPEND offset after write %ld", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    char buf[16] = {0};
    fd = open("f", O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    say("content %s", buf);
    SAY("write on O_RDONLY", write(fd, "x", 1));
    close(fd);
    fd = open("f", O_WRONLY);
    SAY("read on O_WRONLY", read(fd, buf, 1));
    close(fd);
    mkdir("d", 0755);
    SAY("O_DIRECTORY on a file", open("f", O_RDONLY | O_DIRECTORY));
    SAY("O_DIRECTORY on a dir", open("d", O_RDONLY | O_DIRECTORY) >= 0);
    SAY("open dir for writing", open("d", O_WRONLY));
    SAY("O_CREAT on a dir", open("d", O_RDONLY | O_CREAT, 0644));
    symlink("f", "link");
    SAY("O_NOFOLLOW on a symlink", open("link", O_RDONLY | O_NOFOLLOW));
    SAY("follow a symlink", open("link", O_RDONLY) >= 0);
    int p = open("link", O_PATH | O_NOFOLLOW);
    say("O_PATH|O_NOFOLLOW on a symlink: %d", p >= 0);
    SAY("read on O_PATH", read(p, buf, 1));
    fstat(p, &st);
    say("fstat of O_PATH symlink is a link: %d", S_ISLNK(st.st_mode));
    fd = open("f", O_RDONLY | O_CLOEXEC);
    SAY("O_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD));
    SAY("missing parent", open("nope/f", O_RDONLY | O_CREAT, 0644));
    SAY("trailing slash on a file", open("f/", O_RDONLY));
    SAY("create with trailing slash", open("g/", O_RDONLY | O_CREAT, 0644));
    SAY("empty path", open("", O_RDONLY));
    SAY("bad access mode 3", open("f", 3));
    SAY("O_CREAT in a dangling link's target", open("dangling", O_WRONLY | O_CREAT, 0644) >= 0);
    symlink("made-through-link", "dangling2");
    fd = open("dangling2", O_WRONLY | O_CREAT, 0644);
    say("creating through a dangling symlink makes the target: %d", access("made-through-link", F_OK) == 0 && fd >= 0);
    SAY("O_CREAT|O_EXCL on a dangling symlink", open("dangling2", O_WRONLY | O_CREAT | O_EXCL, 0644));
    return 0;
}
