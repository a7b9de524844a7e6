/* readv/writev/preadv/pwritev argument rules: IOV_MAX (1024) vectors,
 * a negative count, a negative length, an unreadable iovec
 * array, a bad buffer in the first and in a later vector, and zero-length
 * vectors. */
#include "contract.h"
#include "vfs.h"

static struct iovec iov[1100];
static char data[2048];

int main(void)
{
    make_file("f", "", 0644);
    int fd = open("f", O_RDWR);
    for (int i = 0; i < 1100; i++) {
        iov[i].iov_base = data + (i % 2048);
        iov[i].iov_len = 1;
    }
    SAY("writev 1024 vectors", writev(fd, iov, 1024));
    SAY("writev 1025 vectors", writev(fd, iov, 1025));
    SAY("readv 1025 vectors", readv(fd, iov, 1025));
    SAY("readv count -1", readv(fd, iov, -1));
    SAY("writev count 0", writev(fd, iov, 0));
    SAY("pwritev 1025 vectors", pwritev(fd, iov, 1025, 0));
    SAY("preadv2 1025 vectors", preadv2_(fd, iov, 1025, 0, 0));
    struct iovec neg[1] = {{data, (size_t)-1}};
    SAY("length -1", writev(fd, neg, 1));
    SAY("iovec array unreadable", writev(fd, (struct iovec *)8, 1));
    SAY("iovec array NULL, count 0", writev(fd, NULL, 0));
    struct iovec badfirst[2] = {{(void *)8, 4}, {data, 4}};
    SAY("bad buffer in the first vector (writev)", writev(fd, badfirst, 2));
    SAY("bad buffer in the first vector (readv)", (lseek(fd, 0, SEEK_SET), readv(fd, badfirst, 2)));
    struct iovec badsecond[2] = {{data, 4}, {(void *)8, 4}};
    SAY("bad buffer in the second vector (writev)", writev(fd, badsecond, 2));
    SAY("bad buffer in the second vector (readv)", (lseek(fd, 0, SEEK_SET), readv(fd, badsecond, 2)));
    struct iovec zeros[3] = {{NULL, 0}, {data, 3}, {(void *)8, 0}};
    SAY("zero-length vectors around one", (lseek(fd, 0, SEEK_SET), readv(fd, zeros, 3)));
    SAY("preadv negative offset", preadv(fd, iov, 1, -5));
    SAY("readv on a bad fd", readv(99, iov, 1));
    SAY("readv on a directory", readv(open(".", O_RDONLY), iov, 1));
    SAY("writev to an O_RDONLY fd", writev(open("f", O_RDONLY), iov, 1));
    struct stat st;
    fstat(fd, &st);
    say("final size %ld", (long)st.st_size);
    return 0;
}
