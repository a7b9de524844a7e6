/* A socket as a file: fstat, /proc/self/fd and fdinfo, open(2) of a
 * socket file (ENXIO), dup sharing state, fcntl O_NONBLOCK changing
 * blocking, /proc/net/unix, a socket file unlinked while bound. */
#include "unixutil.h"

int main(void)
{
    int sv[2];
    struct stat st, st2;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    OK("fstat", fstat(sv[0], &st));
    say("mode %o nlink %ld size %ld blksize %ld uid %d", st.st_mode, (long)st.st_nlink, (long)st.st_size, (long)st.st_blksize, st.st_uid);
    fstat(sv[1], &st2);
    say("distinct inodes %d same dev %d", st.st_ino != st2.st_ino, st.st_dev == st2.st_dev);
    char p[64], l[64] = { 0 }, want[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", sv[0]);
    SAY("readlink", readlink(p, l, sizeof l - 1) > 0);
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    say("link is socket:[ino] %d", strcmp(l, want) == 0);
    snprintf(p, sizeof p, "/proc/self/fdinfo/%d", sv[0]);
    FILE *f = fopen(p, "r");
    char line[128];
    fgets(line, sizeof line, f);
    say("fdinfo: %.4s", line);
    fgets(line, sizeof line, f);
    say("fdinfo flags line %.7s", line);
    fclose(f);
    int dup0 = dup(sv[0]);
    write(dup0, "d", 1);
    char b;
    SAY("write through dup", read(sv[1], &b, 1));
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    SAY("O_NONBLOCK via fcntl", read(sv[1], &b, 1));
    fcntl(sv[1], F_SETFL, 0);
    SAY("MSG_DONTWAIT", recv(sv[1], &b, 1, MSG_DONTWAIT));
    SAY("fsync", fsync(sv[0]));
    SAY("ftruncate", ftruncate(sv[0], 0));
    SAY("mmap", (long)mmap(NULL, 4096, PROT_READ, MAP_SHARED, sv[0], 0) == -1 ? -1 : 0);
    /* the file of a bound socket */
    struct sockaddr_un a;
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    path_addr(&a, "files");
    bind(s, (struct sockaddr *)&a, sizeof a);
    SAY("open socket file", open(a.sun_path, O_RDONLY));
    SAY("open O_PATH", open(a.sun_path, O_PATH) >= 0);
    SAY("truncate", truncate(a.sun_path, 0));
    int c = socket(AF_UNIX, SOCK_DGRAM, 0);
    SAY("send by path", sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    OK("unlink while bound", unlink(a.sun_path));
    SAY("send after unlink", sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    SAY("bound socket still receives", recv(s, &b, 1, 0));
    socklen_t gl = sizeof a;
    struct sockaddr_un got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    say("name kept after unlink %d", strcmp(got.sun_path, a.sun_path) == 0);
    /* /proc/net/unix */
    f = fopen("/proc/net/unix", "r");
    SAY("/proc/net/unix", f != NULL);
    if (f) {
        fgets(line, sizeof line, f);
        printf("header: %s", line);
        fclose(f);
    }
    SAY("/proc/net is a link", readlink("/proc/net", l, sizeof l) > 0);
    return 0;
}
