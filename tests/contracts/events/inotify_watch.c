/* inotify_add_watch and inotify_rm_watch rules: one wd per inode (a
 * second add returns it and replaces the mask, or adds with
 * IN_MASK_ADD), IN_MASK_CREATE refuses an existing watch, IN_ONLYDIR,
 * IN_DONT_FOLLOW, errors (mask 0, bad path, bad fd, not an inotify fd);
 * rm_watch queues IN_IGNORED and the wd is gone; IN_ONESHOT fires once
 * then IN_IGNORED. wds count up from 1 and are not reused. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/stat.h>

#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif

int main(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0600));
    symlink("f", "ln");
    int in = inotify_init1(IN_NONBLOCK);
    SAY("add", inotify_add_watch(in, "f", IN_OPEN));
    SAY("add again (same wd)", inotify_add_watch(in, "f", IN_CLOSE));
    close(open("f", O_RDONLY));
    drain("open+close with mask IN_CLOSE", in);
    SAY("IN_MASK_ADD", inotify_add_watch(in, "f", IN_OPEN | IN_MASK_ADD));
    close(open("f", O_RDONLY));
    drain("open+close with both", in);
    SAY("IN_MASK_CREATE on an existing watch", inotify_add_watch(in, "f", IN_OPEN | IN_MASK_CREATE));
    SAY("IN_MASK_CREATE|IN_MASK_ADD", inotify_add_watch(in, ".", IN_OPEN | IN_MASK_CREATE | IN_MASK_ADD));
    SAY("through the symlink (same inode)", inotify_add_watch(in, "ln", IN_OPEN));
    SAY("IN_DONT_FOLLOW on the symlink (new wd)", inotify_add_watch(in, "ln", IN_OPEN | IN_DONT_FOLLOW));
    SAY("IN_ONLYDIR on a file", inotify_add_watch(in, "f", IN_OPEN | IN_ONLYDIR));
    SAY("IN_ONLYDIR on a directory", inotify_add_watch(in, ".", IN_OPEN | IN_ONLYDIR));
    SAY("mask 0", inotify_add_watch(in, "f", 0));
    SAY("only flag bits", inotify_add_watch(in, "f", IN_ONESHOT));
    SAY("missing path", inotify_add_watch(in, "nope", IN_OPEN));
    SAY("bad path address", inotify_add_watch(in, (char *)8, IN_OPEN));
    SAY("bad fd", inotify_add_watch(99, "f", IN_OPEN));
    int p[2];
    pipe(p);
    SAY("not an inotify fd", inotify_add_watch(p[0], "f", IN_OPEN));
    SAY("rm_watch 1", inotify_rm_watch(in, 1));
    drain("after rm_watch", in);
    SAY("rm_watch 1 again", inotify_rm_watch(in, 1));
    SAY("rm_watch 999", inotify_rm_watch(in, 999));
    SAY("rm_watch on a pipe", inotify_rm_watch(p[0], 1));
    SAY("new watch on f (next number)", inotify_add_watch(in, "f", IN_OPEN | IN_ONESHOT));
    close(open("f", O_RDONLY));
    close(open("f", O_RDONLY));
    drain("IN_ONESHOT, two opens", in);
    SAY("rm_watch of the spent oneshot", inotify_rm_watch(in, 5));
    SAY("init1 bad flags", inotify_init1(O_APPEND));
    int a = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    say("init1 flags: F_GETFL %#o, F_GETFD %d", fcntl(a, F_GETFL), fcntl(a, F_GETFD));
    int b = syscall(SYS_inotify_init);
    say("inotify_init: F_GETFL %#o, F_GETFD %d", fcntl(b, F_GETFL), fcntl(b, F_GETFD));
    return 0;
}
