/* copy_file_range on tmpfs: explicit offsets and file positions, EOF,
 * overlapping ranges in one file, flags, descriptor kinds, O_APPEND,
 * and files on different mounts (EXDEV: tmpfs has no cross-file-system
 * copy). */
#include "contract.h"
#include "vfs.h"

static void show(const char *path)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    say("%s holds \"%s\"", path, buf);
}

int main(void)
{
    make_file("a", "0123456789", 0644);
    make_file("b", "", 0644);
    int a = open("a", O_RDWR);
    int b = open("b", O_RDWR);
    loff_t oi = 2, oo = 0;
    SAY("offsets 2 -> 0, len 4", copy_file_range_(a, &oi, b, &oo, 4, 0));
    say("offsets now %ld %ld; positions %ld %ld", (long)oi, (long)oo, (long)lseek(a, 0, SEEK_CUR), (long)lseek(b, 0, SEEK_CUR));
    SAY("file positions, len 3", copy_file_range_(a, NULL, b, NULL, 3, 0));
    say("positions %ld %ld", (long)lseek(a, 0, SEEK_CUR), (long)lseek(b, 0, SEEK_CUR));
    show("b");
    oi = 8;
    SAY("len past EOF", copy_file_range_(a, &oi, b, NULL, 100, 0));
    oi = 50;
    SAY("input offset past EOF", copy_file_range_(a, &oi, b, NULL, 5, 0));
    SAY("len 0", copy_file_range_(a, NULL, b, NULL, 0, 0));
    oo = 20;
    oi = 0;
    SAY("output offset past EOF (makes a hole)", copy_file_range_(a, &oi, b, &oo, 2, 0));
    struct stat st;
    fstat(b, &st);
    say("b size %ld", (long)st.st_size);
    SAY("flags 1", copy_file_range_(a, NULL, b, NULL, 1, 1));
    oi = 0; oo = 4;
    SAY("same file, overlapping", copy_file_range_(a, &oi, a, &oo, 6, 0));
    oi = 0; oo = 5;
    SAY("same file, adjacent", copy_file_range_(a, &oi, a, &oo, 5, 0));
    show("a");
    oi = 0; oo = 2;
    SAY("same file, overlap clipped by EOF", copy_file_range_(a, &oi, a, &oo, 100, 0));
    oi = -1;
    SAY("negative input offset", copy_file_range_(a, &oi, b, NULL, 1, 0));
    SAY("input write-only", copy_file_range_(open("a", O_WRONLY), NULL, b, NULL, 1, 0));
    SAY("output read-only", copy_file_range_(a, NULL, open("b", O_RDONLY), NULL, 1, 0));
    SAY("output O_APPEND", copy_file_range_(a, NULL, open("b", O_WRONLY | O_APPEND), NULL, 1, 0));
    SAY("input a directory", copy_file_range_(open(".", O_RDONLY), NULL, b, NULL, 1, 0));
    int p[2];
    pipe(p);
    write(p[1], "xx", 2);
    SAY("input a pipe", copy_file_range_(p[0], NULL, b, NULL, 1, 0));
    SAY("output a pipe", copy_file_range_(a, NULL, p[1], NULL, 1, 0));
    SAY("output /dev/null", copy_file_range_(a, NULL, open("/dev/null", O_WRONLY), NULL, 1, 0));
    SAY("bad fd", copy_file_range_(99, NULL, b, NULL, 1, 0));
    SAY("offset pointer unreadable", copy_file_range_(a, (loff_t *)8, b, NULL, 1, 0));
    int m = memfd_("copy", 0);
    write(m, "memfd", 5);
    oi = 0;
    SAY("memfd to tmpfs file (another mount)", copy_file_range_(m, &oi, b, NULL, 5, 0));
    int dev = open("/dev/kv-cfr-test", O_CREAT | O_RDWR, 0600);
    unlink("/dev/kv-cfr-test");
    oi = 0;
    SAY("/dev file to tmpfs file (another mount)", copy_file_range_(dev, &oi, b, NULL, 5, 0));
    return 0;
}
