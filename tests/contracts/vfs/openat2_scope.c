/* openat2 RESOLVE_BENEATH and RESOLVE_IN_ROOT: "..", absolute paths,
 * absolute and relative symlinks, magic links, all relative to the
 * directory descriptor that scopes the lookup. */
#include "contract.h"
#include "vfs.h"

static int root;

static void try(const char *label, const char *path, uint64_t resolve)
{
    long fd = openat2_(root, path, O_RDONLY, 0, resolve);
    if (fd < 0) {
        say("%s: -1 %s", label, errname(errno));
        return;
    }
    char buf[32] = {0};
    long n = read(fd, buf, sizeof buf - 1);
    if (n < 0)
        say("%s: opened (%s)", label, errname(errno));
    else
        say("%s: opened, reads \"%s\"", label, buf);
    close(fd);
}

int main(void)
{
    /* jail/ is the scope; outside/ and the scratch dir are beyond it. */
    mkdir("jail", 0755);
    mkdir("jail/sub", 0755);
    mkdir("outside", 0755);
    make_file("secret", "outer", 0644);
    make_file("jail/secret", "inner", 0644);
    make_file("jail/sub/f", "sub", 0644);
    symlink("/secret", "jail/abs");
    symlink("../secret", "jail/up");
    symlink("../../secret", "jail/sub/upup");
    symlink("sub/f", "jail/rel");
    symlink("..", "jail/dotdot");
    root = open("jail", O_RDONLY | O_DIRECTORY);
    char fdpath[64];
    int fd = open("secret", O_RDONLY);
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);

    static const struct { const char *name; uint64_t flag; } modes[] = {
        {"none", 0}, {"BENEATH", RESOLVE_BENEATH}, {"IN_ROOT", RESOLVE_IN_ROOT}};
    for (int m = 0; m < 3; m++) {
        say("-- %s", modes[m].name);
        uint64_t r = modes[m].flag;
        try("secret", "secret", r);
        try("sub/../secret", "sub/../secret", r);
        try("../secret", "../secret", r);
        try("sub/../../secret", "sub/../../secret", r);
        try("../../../../secret", "../../../../secret", r);
        try("./sub/./f", "./sub/./f", r);
        try("rel (relative symlink inside)", "rel", r);
        try("up (symlink to ../secret)", "up", r);
        try("sub/upup", "sub/upup", r);
        try("dotdot/secret", "dotdot/secret", r);
        try("abs (symlink to /secret)", "abs", r);
        try("/secret", "/secret", r);
        if (m != 0)
            try("magic link", fdpath, r);
    }
    return 0;
}
