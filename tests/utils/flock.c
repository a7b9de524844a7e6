/* flock(1) for the test image (Debian's busybox has no flock applet):
 *   flock [-s|-x] [-n] [-u] [-E code] FILE|FD [COMMAND [ARG...]]
 * Locks FILE (created if missing) or the open descriptor FD with
 * flock(2), then runs COMMAND with the lock held (through `sh -c` when it
 * is one word with blanks, as util-linux's -c). With only an FD, locks it
 * and exits. -n fails with status 1 (or -E's) instead of waiting. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: flock [-s|-x] [-n] [-u] [-E code] FILE|FD [COMMAND [ARG...]]\n");
    exit(64);
}

int main(int argc, char **argv)
{
    int op = LOCK_EX, nb = 0, conflict = 1, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-s"))
            op = LOCK_SH;
        else if (!strcmp(a, "-x"))
            op = LOCK_EX;
        else if (!strcmp(a, "-u"))
            op = LOCK_UN;
        else if (!strcmp(a, "-n"))
            nb = LOCK_NB;
        else if (!strcmp(a, "-E") && i + 1 < argc)
            conflict = atoi(argv[++i]);
        else
            usage();
    }
    if (i >= argc)
        usage();
    const char *target = argv[i++];
    char *end;
    long n = strtol(target, &end, 10);
    int fd;
    int by_fd = *target && !*end && i == argc;
    if (by_fd) {
        fd = (int)n;
    } else {
        fd = open(target, O_RDONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EISDIR)
            fd = open(target, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "flock: %s: %s\n", target, strerror(errno));
            return 66;
        }
    }
    while (flock(fd, op | nb) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return conflict;
        fprintf(stderr, "flock: %s: %s\n", target, strerror(errno));
        return 1;
    }
    if (i == argc)
        return 0;
    pid_t pid = fork();
    if (pid < 0) {
        perror("flock: fork");
        return 71;
    }
    if (pid == 0) {
        if (argc - i == 1 && strpbrk(argv[i], " \t;|&<>$")) {
            execl("/bin/sh", "sh", "-c", argv[i], (char *)NULL);
        } else {
            execvp(argv[i], argv + i);
        }
        fprintf(stderr, "flock: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 71;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
