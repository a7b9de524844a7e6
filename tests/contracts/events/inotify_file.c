/* inotify on file activity: open, access, modify, close (write or not),
 * attribute changes, as seen by a watch on the file (no name) and on its
 * directory (with the name). Identical consecutive events merge. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/stat.h>

int main(void)
{
    mkdir("d", 0755);
    close(open("d/f", O_CREAT | O_WRONLY, 0600));
    int in = inotify_init1(IN_NONBLOCK);
    int dw = inotify_add_watch(in, "d", IN_ALL_EVENTS);
    int fw = inotify_add_watch(in, "d/f", IN_ALL_EVENTS);
    say("wds: %d %d", dw, fw);
    int f = open("d/f", O_WRONLY);
    drain("open for writing", in);
    write(f, "abc", 3);
    drain("write", in);
    write(f, "d", 1);
    write(f, "e", 1);
    drain("two writes (events alternate between the watches)", in);
    /* With one watch, an event identical to the last one queued merges
     * into it. */
    int solo = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(solo, "d/f", IN_MODIFY | IN_ATTRIB);
    write(f, "f", 1);
    write(f, "g", 1);
    fchmod(f, 0600);
    write(f, "h", 1);
    drain("one watch: write, write, chmod, write", solo);
    drain("(the first instance)", in);
    close(f);
    drain("close after writing", in);
    f = open("d/f", O_RDONLY);
    char b[8];
    read(f, b, sizeof b);
    close(f);
    drain("open, read, close", in);
    chmod("d/f", 0644);
    drain("chmod", in);
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    utimensat(AT_FDCWD, "d/f", ts, 0);
    drain("utimensat", in);
    truncate("d/f", 1);
    drain("truncate", in);
    f = open("d/f", O_WRONLY | O_TRUNC);
    close(f);
    drain("open with O_TRUNC", in);
    int dir = open("d", O_RDONLY | O_DIRECTORY);
    close(dir);
    drain("open and close the directory", in);
    return 0;
}
