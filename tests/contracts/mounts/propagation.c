/* Propagation changes: MS_PRIVATE (recursive or not) on mount points;
 * EINVAL for non-mount points and for more than one type at once. */
#include "mnt.h"

int main(void)
{
    isolate();
    mkdir("t/m", 0755);
    mount("m", "t/m", "tmpfs", 0, NULL);
    SAY("MS_PRIVATE", mount(NULL, "t/m", NULL, MS_PRIVATE, NULL));
    SAY("MS_PRIVATE|MS_REC", mount(NULL, "t", NULL, MS_PRIVATE | MS_REC, NULL));
    SAY("MS_PRIVATE|MS_SILENT", mount(NULL, "t/m", NULL, MS_PRIVATE | MS_SILENT, NULL));
    mkdir("t/plain", 0755);
    SAY("MS_PRIVATE on a non-mount point", mount(NULL, "t/plain", NULL, MS_PRIVATE, NULL));
    SAY("MS_PRIVATE|MS_SHARED", mount(NULL, "t/m", NULL, MS_PRIVATE | MS_SHARED, NULL));
    SAY("MS_PRIVATE|MS_SLAVE", mount(NULL, "t/m", NULL, MS_PRIVATE | MS_SLAVE, NULL));
    SAY("MS_PRIVATE|MS_NOSUID", mount(NULL, "t/m", NULL, MS_PRIVATE | MS_NOSUID, NULL));
    show_mount("t/m");
    return 0;
}
