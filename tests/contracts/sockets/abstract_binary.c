/* Abstract names are byte strings: embedded NULs count, a prefix is a
 * different name, lengths matter, and /proc/net/unix shows them with '@'. */
#include "unixutil.h"

static socklen_t mk(struct sockaddr_un *a, const char *bytes, int len)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path, bytes, len);
    return offsetof(struct sockaddr_un, sun_path) + len;
}

int main(void)
{
    char tag[32];
    int tl = snprintf(tag, sizeof tag, "%cab%ccd%d", 0, 0, getpid());
    struct sockaddr_un a, b, c;
    socklen_t al = mk(&a, tag, tl), bl = mk(&b, tag, 3), cl = mk(&c, tag, tl);
    int s1 = socket(AF_UNIX, SOCK_DGRAM, 0), s2 = socket(AF_UNIX, SOCK_DGRAM, 0), s3 = socket(AF_UNIX, SOCK_DGRAM, 0);
    OK("bind with embedded NUL", bind(s1, (struct sockaddr *)&a, al));
    OK("bind its 3-byte prefix", bind(s2, (struct sockaddr *)&b, bl));
    SAY("same bytes again", bind(s3, (struct sockaddr *)&c, cl));
    int w = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(w, "1", 1, 0, (struct sockaddr *)&a, al);
    sendto(w, "2", 1, 0, (struct sockaddr *)&b, bl);
    char x = '?';
    recv(s1, &x, 1, MSG_DONTWAIT);
    say("long name got %c", x);
    recv(s2, &x, 1, MSG_DONTWAIT);
    say("prefix got %c", x);
    FILE *f = fopen("/proc/net/unix", "r");
    char line[512], want[64];
    snprintf(want, sizeof want, "@ab@cd%d", getpid());
    int found = 0;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, want))
            found++;
    if (f)
        fclose(f);
    say("/proc/net/unix shows it %d", found);
    return 0;
}
