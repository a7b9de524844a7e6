/* fsync/fdatasync/syncfs/sync_file_range on each kind of descriptor. */
#include "contract.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/eventfd.h>

int main(void)
{
    int f = open("f", O_CREAT | O_RDWR, 0644);
    int d = open(".", O_RDONLY);
    int p[2], s[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    int n = open("/dev/null", O_WRONLY);
    int e = eventfd(0, 0);
    int ro = open("f", O_RDONLY);
    int op = open("f", O_PATH);
    SAY("fsync file", fsync(f));
    SAY("fdatasync file", fdatasync(f));
    SAY("fsync O_RDONLY file", fsync(ro));
    SAY("fsync dir", fsync(d));
    SAY("fsync pipe", fsync(p[1]));
    SAY("fsync socket", fsync(s[0]));
    SAY("fsync /dev/null", fsync(n));
    SAY("fsync eventfd", fsync(e));
    SAY("fsync O_PATH", fsync(op));
    SAY("fsync bad fd", fsync(99));
    SAY("syncfs file", syncfs(f));
    SAY("syncfs pipe", syncfs(p[0]));
    SAY("sync_file_range", sync_file_range(f, 0, 0, 0));
    SAY("sync_file_range bad flags", sync_file_range(f, 0, 0, 0x100));
    SAY("sync_file_range negative", sync_file_range(f, -1, 0, 0));
    SAY("sync_file_range pipe", sync_file_range(p[1], 0, 0, 0));
    sync();
    say("sync returned");
    unlink("f");
    return 0;
}
