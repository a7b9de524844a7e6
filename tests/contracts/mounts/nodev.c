/* MS_NODEV: device nodes cannot be opened (EACCES); FIFOs and files can. */
#include "mnt.h"
#include <sys/sysmacros.h>

int main(void)
{
    isolate();
    mkdir("t/d", 0755);
    mount("d", "t/d", "tmpfs", MS_NODEV, NULL);
    SAY("mknod char device", mknod("t/d/null", S_IFCHR | 0666, makedev(1, 3)));
    SAY("open it", open("t/d/null", O_RDWR));
    SAY("open it O_PATH", open("t/d/null", O_PATH) >= 0);
    touch("t/d/file");
    SAY("open a file", open("t/d/file", O_RDONLY) >= 0);
    OK("remount without nodev", mount(NULL, "t/d", NULL, MS_REMOUNT, NULL));
    SAY("open the device now", open("t/d/null", O_RDWR) >= 0);
    OK("bind with nodev", (mount("t/d", "t/d", NULL, MS_BIND, NULL), mount(NULL, "t/d", NULL, MS_REMOUNT | MS_BIND | MS_NODEV, NULL)));
    SAY("open through the nodev bind", open("t/d/null", O_RDWR));
    return 0;
}
