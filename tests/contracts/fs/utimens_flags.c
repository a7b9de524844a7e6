/* utimensat/futimens: UTIME_NOW, UTIME_OMIT, nanoseconds kept, invalid
 * nsec EINVAL, AT_SYMLINK_NOFOLLOW changing the link itself, ctime moving
 * on every change, NULL path with a descriptor (futimens). */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0644));
    struct timespec t[2] = { { 1000, 123456789 }, { 2000, 987654321 } };
    SAY("set both", utimensat(AT_FDCWD, "f", t, 0));
    struct stat st;
    stat("f", &st);
    say("atime %ld.%09ld mtime %ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec o[2] = { { 5, UTIME_OMIT }, { 3000, 0 } };
    SAY("omit atime", utimensat(AT_FDCWD, "f", o, 0));
    stat("f", &st);
    say("atime %ld mtime %ld", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
    struct timespec n[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
    SAY("now atime", utimensat(AT_FDCWD, "f", n, 0));
    stat("f", &st);
    say("atime recent %d mtime %ld", st.st_atim.tv_sec > 1000000000, (long)st.st_mtim.tv_sec);
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    SAY("nsec too big", utimensat(AT_FDCWD, "f", bad, 0));
    bad[0].tv_nsec = -1;
    SAY("nsec negative", utimensat(AT_FDCWD, "f", bad, 0));
    SAY("bad flags", utimensat(AT_FDCWD, "f", t, 0x1));
    symlink("f", "l");
    struct timespec lt[2] = { { 4000, 0 }, { 4000, 0 } };
    SAY("nofollow on link", utimensat(AT_FDCWD, "l", lt, AT_SYMLINK_NOFOLLOW));
    lstat("l", &st);
    say("link mtime %ld", (long)st.st_mtim.tv_sec);
    stat("f", &st);
    say("target mtime untouched %ld", (long)st.st_mtim.tv_sec);
    int fd = open("f", O_RDONLY);
    SAY("futimens", futimens(fd, t));
    SAY("NULL path with fd", utimensat(fd, NULL, lt, 0));
    fstat(fd, &st);
    say("mtime %ld", (long)st.st_mtim.tv_sec);
    SAY("NULL path with AT_FDCWD", utimensat(AT_FDCWD, NULL, lt, 0));
    SAY("missing", utimensat(AT_FDCWD, "nope", NULL, 0));
    struct timespec omit2[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    struct stat before, after;
    stat("f", &before);
    SAY("omit both", utimensat(AT_FDCWD, "f", omit2, 0));
    stat("f", &after);
    say("ctime unchanged by omit both %d", before.st_ctim.tv_sec == after.st_ctim.tv_sec && before.st_ctim.tv_nsec == after.st_ctim.tv_nsec);
    return 0;
}
