/* Renames: IN_MOVED_FROM and IN_MOVED_TO share a cookie (each rename a
 * new one), the moved object gets IN_MOVE_SELF, across directories too;
 * a file replaced by a rename is deleted. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/stat.h>

int main(void)
{
    mkdir("a", 0755);
    mkdir("b", 0755);
    close(open("a/f", O_CREAT | O_WRONLY, 0600));
    close(open("a/victim", O_CREAT | O_WRONLY, 0600));
    int in = inotify_init1(IN_NONBLOCK);
    int wa = inotify_add_watch(in, "a", IN_MOVE | IN_CREATE | IN_DELETE);
    int wb = inotify_add_watch(in, "b", IN_MOVE | IN_CREATE | IN_DELETE);
    int wf = inotify_add_watch(in, "a/f", IN_MOVE_SELF | IN_ATTRIB | IN_DELETE_SELF);
    int wv = inotify_add_watch(in, "a/victim", IN_ALL_EVENTS);
    say("wds: %d %d %d %d", wa, wb, wf, wv);
    rename("a/f", "a/g");
    drain("rename within a", in);
    rename("a/g", "b/h");
    drain("rename a -> b", in);
    rename("b/h", "a/victim");
    drain("rename over a watched file", in);
    mkdir("a/sub", 0755);
    int ws = inotify_add_watch(in, "a/sub", IN_MOVE_SELF | IN_DELETE_SELF);
    say("watch on the directory: %d", ws);
    rename("a/sub", "b/sub");
    drain("move a directory", in);
    rmdir("b/sub");
    drain("remove it", in);
    return 0;
}
