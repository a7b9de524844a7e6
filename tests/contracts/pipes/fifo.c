/* FIFOs: readiness of a non-blocking reader depends on whether a writer
 * has ever come (no HUP before the first writer, HUP after it left);
 * O_RDWR opens see both directions; data and capacity behave as pipes;
 * the buffer is shared by every open of the FIFO. */
#include "contract.h"
#include "../events/events.h"
#include <sys/ioctl.h>

int main(void)
{
    OK("mkfifo", mkfifo("ff", 0600));
    int r = open("ff", O_RDONLY | O_NONBLOCK);
    say("reader before any writer: %s", ready(r));
    char b[16];
    SAY("read before any writer", read(r, b, sizeof b));
    int w = open("ff", O_WRONLY | O_NONBLOCK);
    say("writer opens: %d", w >= 0);
    say("reader with writer: %s, writer: %s", ready(r), ready(w));
    write(w, "data", 4);
    int n = 0;
    ioctl(r, FIONREAD, &n);
    say("FIONREAD: %d", n);
    say("reader with data: %s", ready(r));
    close(w);
    say("reader after writer left, data queued: %s", ready(r));
    SAY("read", read(r, b, sizeof b));
    SAY("read at EOF", read(r, b, sizeof b));
    say("reader after writer left: %s", ready(r));
    /* A new writer clears the hang-up. */
    w = open("ff", O_WRONLY | O_NONBLOCK);
    say("reader with a new writer: %s", ready(r));
    close(w);
    close(r);

    int rw = open("ff", O_RDWR);
    say("O_RDWR: %s", ready(rw));
    write(rw, "xy", 2);
    say("O_RDWR with data: %s", ready(rw));
    int r2 = open("ff", O_RDONLY | O_NONBLOCK);
    SAY("second open reads the same buffer", read(r2, b, sizeof b));
    close(r2);
    close(rw);

    /* The buffer does not outlive the last open. */
    rw = open("ff", O_RDWR);
    write(rw, "left behind", 11);
    close(rw);
    rw = open("ff", O_RDWR | O_NONBLOCK);
    SAY("after every open closed, the data is gone", read(rw, b, sizeof b));
    return 0;
}
