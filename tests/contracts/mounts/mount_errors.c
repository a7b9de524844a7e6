/* mount(2) errors: unknown type, missing or wrong target, bad pointers. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/d", 0755);
    touch("t/f");
    SAY("unknown type", mount("x", "t/d", "nosuchfs", 0, NULL));
    SAY("empty type", mount("x", "t/d", "", 0, NULL));
    SAY("NULL type", mount("x", "t/d", NULL, 0, NULL));
    SAY("missing target", mount("x", "t/missing", "tmpfs", 0, NULL));
    SAY("target below a file", mount("x", "t/f/x", "tmpfs", 0, NULL));
    SAY("tmpfs on a file", mount("x", "t/f", "tmpfs", 0, NULL));
    SAY("bad type pointer", mount("x", "t/d", (const char *)8, 0, NULL));
    SAY("bad target pointer", mount("x", (const char *)8, "tmpfs", 0, NULL));
    SAY("MS_NOUSER", mount("x", "t/d", "tmpfs", 1UL << 31, NULL));
    SAY("magic value accepted", mount("x", "t/d", "tmpfs", 0xC0ED0000UL, NULL));
    SAY("bind without source", mount(NULL, "t/d", NULL, MS_BIND, NULL));
    SAY("bind of a missing source", mount("t/missing", "t/d", NULL, MS_BIND, NULL));
    SAY("move without source", mount("", "t/d", NULL, MS_MOVE, NULL));
    return 0;
}
