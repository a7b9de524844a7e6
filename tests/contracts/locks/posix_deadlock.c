/* F_SETLKW that would wait for a process waiting for us fails with
 * EDEADLK (exactly one of the two gets it); F_SETLK never does. */
#include "lockutil.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    int go[2], res[2];
    pipe(go);
    pipe(res);
    OK("parent W 0", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    pid_t c = fork();
    if (c == 0) {
        int b = open("f", O_RDWR);
        lk(b, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
        write(go[1], "g", 1);
        int r = lk(b, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
        int e = r == 0 ? 0 : errno;
        /* On EDEADLK, give up our lock so the other side can go on. */
        lk(b, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
        write(res[1], &e, sizeof e);
        _exit(0);
    }
    char ch;
    read(go[0], &ch, 1);
    SAY("F_SETLK on the child's byte", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
    int r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
    int mine = r == 0 ? 0 : errno;
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    int theirs;
    read(res[0], &theirs, sizeof theirs);
    waitpid(c, 0, 0);
    int dead = (mine == EDEADLK) + (theirs == EDEADLK);
    int ok = (mine == 0) + (theirs == 0);
    say("EDEADLK results: %d, successes: %d", dead, ok);

    /* Three processes in a ring: parent -> child1 -> child2 -> parent. */
    OK("parent W 10", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 1));
    int results[2][2], start[2];
    pid_t kids[2];
    pipe(start);
    for (int k = 0; k < 2; k++) {
        pipe(results[k]);
        kids[k] = fork();
        if (kids[k] == 0) {
            int b = open("f", O_RDWR);
            lk(b, F_SETLK, F_WRLCK, SEEK_SET, 11 + k, 1);
            write(go[1], "g", 1);
            read(start[0], &ch, 1);
            int r2 = lk(b, F_SETLKW, F_WRLCK, SEEK_SET, k == 0 ? 12 : 10, 1);
            int e = r2 == 0 ? 0 : errno;
            lk(b, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
            write(results[k][1], &e, sizeof e);
            _exit(0);
        }
        read(go[0], &ch, 1);
    }
    write(start[1], "ss", 2);
    wait_sleeping(kids[0]);
    wait_sleeping(kids[1]);
    SAY("parent closes the ring", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 11, 1));
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    for (int k = 0; k < 2; k++) {
        int e;
        read(results[k][0], &e, sizeof e);
        waitpid(kids[k], 0, 0);
        say("child %d: %s", k + 1, errname(e));
    }
    return 0;
}
