/* Many pipes at once: data stays with its pipe, closing one end of one
 * pipe affects only it, and 200 descriptors can be polled together. */
#include "contract.h"
#include "../events/events.h"

#define N 100

int main(void)
{
    int p[N][2];
    for (int i = 0; i < N; i++)
        if (pipe(p[i]) < 0) {
            say("pipe %d: %s", i, errname(errno));
            return 0;
        }
    for (int i = 0; i < N; i += 3) {
        char c = (char)i;
        write(p[i][1], &c, 1);
    }
    for (int i = 1; i < N; i += 7)
        close(p[i][1]);
    struct pollfd pf[N];
    for (int i = 0; i < N; i++)
        pf[i] = (struct pollfd){.fd = p[i][0], .events = POLLIN};
    SAY("poll over 100 readers", poll(pf, N, 0));
    int in = 0, hup = 0, both = 0;
    for (int i = 0; i < N; i++) {
        in += (pf[i].revents & POLLIN) != 0;
        hup += (pf[i].revents & POLLHUP) != 0;
        both += (pf[i].revents & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP);
    }
    say("readable %d, hung up %d, both %d", in, hup, both);
    int right = 0;
    for (int i = 0; i < N; i += 3) {
        char c;
        if (read(p[i][0], &c, 1) == 1 && c == (char)i)
            right++;
    }
    say("bytes in their own pipes: %d", right);
    return 0;
}
