/* openat2: the open_how structure's size rules (EINVAL below version 0,
 * E2BIG above a page or with non-zero bytes past what the kernel knows),
 * unknown flag and resolve bits, and mode only with O_CREAT/O_TMPFILE. */
#include "contract.h"
#include "vfs.h"

int main(void)
{
    make_file("f", "hello", 0644);
    struct { struct open_how_v0 how; uint64_t extra[4]; } big;
    memset(&big, 0, sizeof big);
    big.how.flags = O_RDONLY;

    SAY("size 24", openat2_raw(AT_FDCWD, "f", &big, 24) >= 0);
    SAY("size 0", openat2_raw(AT_FDCWD, "f", &big, 0));
    SAY("size 23", openat2_raw(AT_FDCWD, "f", &big, 23));
    SAY("size 32, zero tail", openat2_raw(AT_FDCWD, "f", &big, 32) >= 0);
    big.extra[0] = 1;
    SAY("size 32, non-zero tail", openat2_raw(AT_FDCWD, "f", &big, 32));
    big.extra[0] = 0;
    char *page = calloc(1, 8192);
    memcpy(page, &big.how, sizeof big.how);
    SAY("size 4096", openat2_raw(AT_FDCWD, "f", page, 4096) >= 0);
    SAY("size 4097", openat2_raw(AT_FDCWD, "f", page, 4097));
    SAY("NULL how", openat2_raw(AT_FDCWD, "f", NULL, 24));
    SAY("wild how", openat2_raw(AT_FDCWD, "f", (void *)8, 24));

    SAY("unknown flag bit", openat2_(AT_FDCWD, "f", 1ULL << 40, 0, 0));
    SAY("flags bit 31", openat2_(AT_FDCWD, "f", 1ULL << 31, 0, 0));
    SAY("unknown resolve bit", openat2_(AT_FDCWD, "f", O_RDONLY, 0, 0x40));
    SAY("BENEATH|IN_ROOT", openat2_(AT_FDCWD, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
    SAY("mode without O_CREAT", openat2_(AT_FDCWD, "f", O_RDONLY, 0644, 0));
    SAY("mode bits above 07777", openat2_(AT_FDCWD, "g", O_CREAT | O_WRONLY, 010644, 0));
    SAY("O_CREAT with mode", openat2_(AT_FDCWD, "g", O_CREAT | O_WRONLY, 0640, 0) >= 0);
    struct stat st;
    stat("g", &st);
    say("created mode %o", st.st_mode & 07777);
    SAY("O_PATH with O_RDWR", openat2_(AT_FDCWD, "f", O_PATH | O_RDWR, 0, 0));
    SAY("O_PATH with O_CLOEXEC|O_DIRECTORY", openat2_(AT_FDCWD, ".", O_PATH | O_CLOEXEC | O_DIRECTORY, 0, 0) >= 0);
    SAY("O_DIRECTORY|O_CREAT", openat2_(AT_FDCWD, "h", O_DIRECTORY | O_CREAT | O_RDWR, 0644, 0));
    SAY("O_TMPFILE without write", openat2_(AT_FDCWD, ".", O_TMPFILE | O_RDONLY, 0600, 0));
    long fd = openat2_(AT_FDCWD, "f", O_RDONLY | O_CLOEXEC, 0, 0);
    SAY("O_CLOEXEC honoured", fcntl(fd, F_GETFD));
    SAY("missing file", openat2_(AT_FDCWD, "nope", O_RDONLY, 0, 0));
    SAY("empty path", openat2_(AT_FDCWD, "", O_RDONLY, 0, 0));
    return 0;
}
