/* utimensat/futimens/utimes: explicit times, UTIME_NOW, UTIME_OMIT,
 * AT_SYMLINK_NOFOLLOW, permission rules, and their errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    struct timespec ts[2] = {{1000000000, 111}, {1200000000, 222222222}};
    SAY("utimensat explicit", utimensat(AT_FDCWD, "f", ts, 0));
    struct stat st;
    stat("f", &st);
    say("atime %ld.%09ld mtime %ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    SAY("UTIME_OMIT atime", utimensat(AT_FDCWD, "f", omit, 0));
    stat("f", &st);
    say("atime kept %ld, mtime %ld", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    SAY("UTIME_NOW atime", futimens(fd, now));
    stat("f", &st);
    say("atime is recent: %d, mtime kept %ld", st.st_atim.tv_sec > 1600000000, (long)st.st_mtim.tv_sec);
    SAY("NULL times (now)", utimensat(AT_FDCWD, "f", 0, 0));
    stat("f", &st);
    say("both recent: %d", st.st_atim.tv_sec > 1600000000 && st.st_mtim.tv_sec > 1600000000);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    SAY("bad nsec", utimensat(AT_FDCWD, "f", bad, 0));
    symlink("f", "l");
    SAY("NOFOLLOW on a link", utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
    lstat("l", &st);
    say("link mtime %ld", (long)st.st_mtim.tv_sec);
    stat("f", &st);
    say("file unchanged by link update: %d", st.st_mtim.tv_sec != 1200000000);
    struct timeval tv[2] = {{900000000, 5}, {950000000, 7}};
    SAY("utimes", utimes("f", tv));
    stat("f", &st);
    say("utimes atime %ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
    SAY("missing file", utimensat(AT_FDCWD, "missing", 0, 0));
    SAY("bad flags", utimensat(AT_FDCWD, "f", 0, 0x8000));
    chmod(".", 0777);
    chmod("f", 0666);
    pid_t p = fork();
    if (p == 0) {
        setresuid(1000, 1000, 1000);
        SAY("non-owner, writable, UTIME_NOW", utimensat(AT_FDCWD, "f", 0, 0));
        SAY("non-owner, explicit time", utimensat(AT_FDCWD, "f", ts, 0));
        _exit(0);
    }
    waitpid(p, 0, 0);
    return 0;
}
