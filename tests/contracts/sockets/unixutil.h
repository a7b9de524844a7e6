/* unixutil.h: shared helpers for the AF_UNIX contracts. */
#ifndef UNIXUTIL_H
#define UNIXUTIL_H
#include "../contract.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/select.h>
#include <sys/mman.h>

/* A path name unique to this run (never printed). */
static socklen_t path_addr(struct sockaddr_un *a, const char *tag)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "u.%s.%d", tag, getpid());
    return sizeof *a;
}

/* An abstract name unique to this run; returns its exact length. */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *tag)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "kv.%s.%d", tag, getpid());
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a->sun_path + 1);
}

/* poll(2) revents with every interesting bit asked for. */
static int revents(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI | POLLWRBAND | POLLRDNORM | POLLWRNORM, 0 };
    if (poll(&p, 1, 0) < 0)
        return -1;
    return p.revents;
}

/* A listening stream (or seqpacket) socket on a fresh path name. */
static int listener(int type, const char *tag, struct sockaddr_un *a, int backlog)
{
    int s = socket(AF_UNIX, type, 0);
    path_addr(a, tag);
    unlink(a->sun_path);
    if (bind(s, (struct sockaddr *)a, sizeof *a) < 0 || listen(s, backlog) < 0)
        return -1;
    return s;
}

/* Sends `n` descriptors in one SCM_RIGHTS message with one data byte. */
static ssize_t send_fds(int s, const int *fds, int n)
{
    char byte = 'R';
    struct iovec iov = { &byte, 1 };
    size_t clen = CMSG_SPACE(sizeof(int) * n);
    char *cbuf = calloc(1, clen);
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = clen };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    ssize_t r = sendmsg(s, &m, 0);
    free(cbuf);
    return r;
}

/* Receives one byte and up to `max` descriptors into `fds` with a control
 * buffer of `clen` bytes; returns the count received (or -1), and the
 * msg_flags in *flags. */
static int recv_fds(int s, int *fds, int max, size_t clen, int rflags, int *flags)
{
    char byte;
    struct iovec iov = { &byte, 1 };
    char *cbuf = calloc(1, clen ? clen : 1);
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = clen ? cbuf : NULL, .msg_controllen = clen };
    if (recvmsg(s, &m, rflags) < 0) {
        free(cbuf);
        return -1;
    }
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (int i = 0; i < k && n < max; i++)
                memcpy(&fds[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
    }
    if (flags)
        *flags = m.msg_flags;
    free(cbuf);
    return n;
}
#endif
