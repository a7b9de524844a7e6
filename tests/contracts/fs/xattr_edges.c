/* Extended attributes on tmpfs: user.* set/get/list/remove, sizes
 * (query with 0, ERANGE), XATTR_CREATE/REPLACE, ENODATA, namespaces,
 * symlinks (l* calls), the fd forms. */
#include "contract.h"
#include <fcntl.h>
#include <sys/xattr.h>

int main(void)
{
    close(open("f", O_CREAT | O_WRONLY, 0644));
    char v[64];
    SAY("set", setxattr("f", "user.a", "hello", 5, 0));
    SAY("get size", getxattr("f", "user.a", NULL, 0));
    SAY("get", getxattr("f", "user.a", v, sizeof v));
    SAY("get small", getxattr("f", "user.a", v, 2));
    SAY("missing", getxattr("f", "user.b", v, sizeof v));
    SAY("create existing", setxattr("f", "user.a", "x", 1, XATTR_CREATE));
    SAY("replace missing", setxattr("f", "user.b", "x", 1, XATTR_REPLACE));
    SAY("replace", setxattr("f", "user.a", "bye", 3, XATTR_REPLACE));
    SAY("get replaced", getxattr("f", "user.a", v, sizeof v));
    SAY("both flags", setxattr("f", "user.c", "x", 1, XATTR_CREATE | XATTR_REPLACE));
    SAY("bad flags", setxattr("f", "user.c", "x", 1, 4));
    SAY("empty value", setxattr("f", "user.e", "", 0, 0));
    SAY("get empty", getxattr("f", "user.e", v, sizeof v));
    SAY("list size", listxattr("f", NULL, 0));
    SAY("list small", listxattr("f", v, 3));
    SAY("no namespace", setxattr("f", "plain", "x", 1, 0));
    SAY("unknown namespace", setxattr("f", "bogus.x", "x", 1, 0));
    SAY("empty name", setxattr("f", "", "x", 1, 0));
    SAY("user. only", setxattr("f", "user.", "x", 1, 0));
    SAY("remove", removexattr("f", "user.e"));
    SAY("remove missing", removexattr("f", "user.e"));
    SAY("trusted as root", setxattr("f", "trusted.t", "x", 1, 0));
    symlink("f", "l");
    SAY("lsetxattr user on symlink", lsetxattr("l", "user.l", "x", 1, 0));
    SAY("through the link", getxattr("l", "user.a", v, sizeof v));
    int fd = open("f", O_RDONLY);
    SAY("fgetxattr", fgetxattr(fd, "user.a", v, sizeof v));
    SAY("fsetxattr on O_RDONLY", fsetxattr(fd, "user.f", "1", 1, 0));
    int p = open("f", O_PATH);
    SAY("fgetxattr on O_PATH", fgetxattr(p, "user.a", v, sizeof v));
    char big[70000];
    memset(big, 'b', sizeof big);
    SAY("value over 64 KiB", setxattr("f", "user.big", big, sizeof big, 0));
    char name[300];
    memset(name, 'n', sizeof name);
    memcpy(name, "user.", 5);
    name[299] = 0;
    SAY("name too long", setxattr("f", name, "x", 1, 0));
    SAY("missing file", getxattr("nope", "user.a", v, sizeof v));
    unlink("f");
    unlink("l");
    return 0;
}
