/* SIGPIPE's default action kills a writer to a closed stream peer; an
 * ignored SIGPIPE leaves EPIPE; MSG_NOSIGNAL never raises it; a
 * datagram or seqpacket send to a gone peer raises nothing. */
#include "unixutil.h"

static int child_write(int type, int flags)
{
    int sv[2], st;
    socketpair(AF_UNIX, type, 0, sv);
    close(sv[1]);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        ssize_t r = send(sv[0], "x", 1, flags);
        _exit(r < 0 ? 100 + (errno == EPIPE) + 2 * (errno == ECONNREFUSED) : 0);
    }
    waitpid(pid, &st, 0);
    close(sv[0]);
    return st;
}

int main(void)
{
    say("stream: %s", wstatus(child_write(SOCK_STREAM, 0)));
    say("stream MSG_NOSIGNAL: %s", wstatus(child_write(SOCK_STREAM, MSG_NOSIGNAL)));
    say("seqpacket: %s", wstatus(child_write(SOCK_SEQPACKET, 0)));
    say("dgram: %s", wstatus(child_write(SOCK_DGRAM, 0)));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    signal(SIGPIPE, SIG_IGN);
    SAY("ignored: write", write(sv[0], "x", 1));
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_BLOCK, &set, NULL);
    SAY("blocked: write", write(sv[0], "x", 1));
    sigset_t pend;
    sigpending(&pend);
    say("SIGPIPE pending %d", sigismember(&pend, SIGPIPE));
    signal(SIGPIPE, SIG_IGN);
    return 0;
}
