/* rmdir and rename edge cases: ".", "..", non-empty directories, a
 * directory into itself, file/directory mismatches, renaming hard links
 * of one inode (a no-op), RENAME_* flag errors. */
#include "contract.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static long rename2(const char *a, const char *b, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

int main(void)
{
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    close(open("d/f", O_CREAT | O_WRONLY, 0644));
    mkdir("empty", 0755);
    close(open("file", O_CREAT | O_WRONLY, 0644));
    SAY("rmdir non-empty", rmdir("d"));
    SAY("rmdir .", rmdir("d/."));
    SAY("rmdir ..", rmdir("d/sub/.."));
    SAY("rmdir file", rmdir("file"));
    SAY("unlink dir", unlink("d"));
    SAY("rmdir missing", rmdir("missing"));
    SAY("dir into own subdir", rename("d", "d/sub/x"));
    SAY("dir onto own subdir", rename("d", "d/sub"));
    SAY("file over dir", rename("file", "empty"));
    SAY("dir over file", rename("empty", "file"));
    SAY("dir over non-empty dir", rename("empty", "d"));
    mkdir("empty2", 0755);
    SAY("dir over empty dir", rename("empty2", "empty"));
    SAY("empty2 gone", access("empty2", F_OK));
    link("file", "hard");
    SAY("rename hard link onto its twin", rename("file", "hard"));
    SAY("both names remain", access("file", F_OK) + access("hard", F_OK));
    SAY("rename to itself", rename("file", "file"));
    SAY("rename .", rename(".", "x"));
    SAY("rename onto .", rename("file", "."));
    SAY("NOREPLACE onto existing", rename2("file", "d/f", 1));
    SAY("NOREPLACE|EXCHANGE", rename2("file", "d/f", 3));
    SAY("EXCHANGE with missing", rename2("file", "nothing", 2));
    SAY("EXCHANGE file and dir", rename2("file", "empty", 2));
    struct stat st;
    stat("file", &st);
    say("file is now a dir %d", S_ISDIR(st.st_mode));
    SAY("bad flag", rename2("file", "y", 8));
    SAY("missing source", rename("nothing", "y"));
    SAY("missing target dir", rename("hard", "nodir/y"));
    return 0;
}
