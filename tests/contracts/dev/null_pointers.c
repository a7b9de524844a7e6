/* The memory devices never touch the caller's buffer where Linux does
 * not: writes to /dev/null and /dev/zero succeed with an unmapped buffer
 * (only a range reaching the kernel half is EFAULT), reads of /dev/null
 * return 0 whatever the buffer. */
#include "contract.h"
#include <fcntl.h>

int main(void)
{
    int n = open("/dev/null", O_RDWR), z = open("/dev/zero", O_RDWR), f = open("/dev/full", O_RDWR);
    char *unmapped = (char *)0x1000;
    char *kernel = (char *)0xffffffff80000000UL;
    SAY("null write unmapped", write(n, unmapped, 100));
    SAY("null write NULL", write(n, NULL, 5));
    SAY("null write kernel", write(n, kernel, 5));
    SAY("null read unmapped", read(n, unmapped, 100));
    SAY("null read kernel", read(n, kernel, 5));
    SAY("zero write unmapped", write(z, unmapped, 100));
    SAY("zero write kernel", write(z, kernel, 5));
    SAY("zero read unmapped", read(z, unmapped, 100));
    SAY("full write unmapped", write(f, unmapped, 100));
    SAY("null write 0 bytes kernel", write(n, kernel, 0));
    return 0;
}
