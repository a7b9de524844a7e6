/* inotify on a directory: IN_CREATE and IN_DELETE name the entry (with
 * IN_ISDIR for directories), for files, directories, FIFOs, symlinks,
 * hard links; names are NUL-padded so len is a multiple of 16 (the
 * struct size); events outside the mask are not queued. */
#include "contract.h"
#include "events.h"
#include "inotify.h"
#include <sys/stat.h>

int main(void)
{
    mkdir("d", 0755);
    int in = inotify_init1(IN_NONBLOCK);
    int wd = inotify_add_watch(in, "d", IN_CREATE | IN_DELETE);
    say("wd: %d", wd);
    close(open("d/a", O_CREAT | O_WRONLY, 0600));
    mkdir("d/sub", 0755);
    mkfifo("d/fifo", 0600);
    symlink("a", "d/link");
    link("d/a", "d/hard");
    close(open("d/a-name-of-exactly-sixteen", O_CREAT | O_WRONLY, 0600));
    drain("created", in);
    unlink("d/a");
    rmdir("d/sub");
    unlink("d/link");
    drain("removed", in);
    /* Writing and opening are not in the mask. */
    int f = open("d/hard", O_WRONLY);
    write(f, "x", 1);
    close(f);
    drain("not in the mask", in);
    /* Nothing happens in subdirectories of a watched directory. */
    mkdir("d/sub2", 0755);
    drain("subdirectory made", in);
    close(open("d/sub2/deep", O_CREAT | O_WRONLY, 0600));
    drain("file in a subdirectory", in);
    return 0;
}
