/* tmpfs refuses options it does not know or cannot parse. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    SAY("unknown option", mount("x", "t/m", "tmpfs", 0, "bogus=1"));
    SAY("size=abc", mount("x", "t/m", "tmpfs", 0, "size=abc"));
    SAY("size=1q", mount("x", "t/m", "tmpfs", 0, "size=1q"));
    SAY("mode=9", mount("x", "t/m", "tmpfs", 0, "mode=9"));
    SAY("uid=x", mount("x", "t/m", "tmpfs", 0, "uid=x"));
    SAY("nr_inodes=", mount("x", "t/m", "tmpfs", 0, "nr_inodes=z"));
    SAY("empty options", mount("x", "t/m", "tmpfs", 0, ""));
    SAY("commas only", mount("x", "t/m", "tmpfs", 0, ",,"));
    return 0;
}
