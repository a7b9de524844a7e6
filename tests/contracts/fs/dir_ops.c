/* mkdir/rmdir/unlink/rename and their errors. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    SAY("mkdir", mkdir("a", 0755));
    SAY("mkdir existing", mkdir("a", 0755));
    SAY("mkdir nested missing", mkdir("x/y", 0755));
    SAY("mkdir trailing slash", mkdir("b/", 0755));
    SAY("rmdir trailing slash", rmdir("b/"));
    close(open("a/f", O_CREAT | O_WRONLY, 0644));
    SAY("rmdir non-empty", rmdir("a"));
    SAY("rmdir a file", rmdir("a/f"));
    SAY("unlink a dir", unlink("a"));
    SAY("rmdir .", rmdir("a/."));
    SAY("rmdir ..", rmdir("a/.."));
    SAY("unlink missing", unlink("missing"));
    SAY("rename file", rename("a/f", "a/g"));
    SAY("old name gone", access("a/f", F_OK));
    SAY("rename onto itself", rename("a/g", "a/g"));
    mkdir("c", 0755);
    SAY("rename file over dir", rename("a/g", "c"));
    SAY("rename dir over file", rename("c", "a/g"));
    mkdir("e", 0755);
    close(open("e/x", O_CREAT | O_WRONLY, 0644));
    SAY("rename dir over non-empty dir", rename("c", "e"));
    SAY("rename dir over empty dir", rename("e", "c") == 0 && access("c/x", F_OK) == 0);
    SAY("rename dir into itself", rename("c", "c/sub"));
    SAY("rename missing", rename("missing", "z"));
    SAY("rename to missing dir", rename("a/g", "nope/g"));
    close(open("one", O_CREAT | O_WRONLY, 0644));
    close(open("two", O_CREAT | O_WRONLY, 0644));
    SAY("rename replaces a file", rename("one", "two"));
    SAY("replaced: one gone", access("one", F_OK));
    SAY("rmdir after emptying", (unlink("c/x"), rmdir("c")));
    return 0;
}
