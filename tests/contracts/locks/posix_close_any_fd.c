/* POSIX locks belong to the process: closing any descriptor of the file
 * releases all of them, even one opened separately or a dup. */
#include "lockutil.h"

int main(void)
{
    int a = open("f", O_CREAT | O_RDWR, 0644);
    int b = open("f", O_RDONLY);
    lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    lk(a, F_SETLK, F_RDLCK, SEEK_SET, 20, 5);
    lock_map("locked", "f", 30);
    OK("close an unrelated descriptor of the file", close(b));
    lock_map("after the close", "f", 30);
    lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    int d = dup(a);
    close(d);
    lock_map("after closing a dup", "f", 30);
    lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    int other = open("g", O_CREAT | O_RDWR, 0644);
    close(other);
    lock_map("closing another file keeps them", "f", 30);
    int e = open("f", O_RDONLY);
    dup2(e, 50);
    OK("dup2 over a descriptor of the file", dup2(other = open("g", O_RDONLY), 50));
    lock_map("after dup2 replaced it", "f", 30);
    lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    int x = open("f", O_RDONLY | O_CLOEXEC);
    (void)x;
    pid_t c = fork();
    if (c == 0) {
        execl("/nonexistent", "x", (char *)0);
        _exit(0);
    }
    waitpid(c, 0, 0);
    lock_map("a child's exec and exit keep the parent's", "f", 30);
    return 0;
}
