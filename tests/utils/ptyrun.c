/* ptyrun: runs a command on a new pseudo-terminal, as script(1) does, for
 * tests that need a terminal (stty, tty, job control):
 *   ptyrun [-w MARK] [-i TEXT] COMMAND [ARG...]
 * The command runs in a new session with the pty as its controlling
 * terminal; everything it writes to the terminal is copied to stdout.
 * -i TEXT is typed into the terminal (C escapes \n, \r, \003 for ^C,
 * \032 for ^Z, \004 for ^D): at once, or with -w once the command's
 * output contains MARK (so it is typed after the command has set the
 * terminal up, with no sleeping). Exits with the command's status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Decodes \n, \r, \t, \\ and \NNN (octal) in place; returns the length. */
static size_t unescape(char *s)
{
    char *out = s;
    for (char *in = s; *in; in++) {
        if (*in != '\\' || !in[1]) {
            *out++ = *in;
            continue;
        }
        in++;
        switch (*in) {
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case '\\': *out++ = '\\'; break;
        default:
            if (*in >= '0' && *in <= '7') {
                int v = 0, k = 0;
                while (k < 3 && *in >= '0' && *in <= '7') {
                    v = v * 8 + (*in++ - '0');
                    k++;
                }
                in--;
                *out++ = (char)v;
            } else {
                *out++ = *in;
            }
        }
    }
    return (size_t)(out - s);
}

int main(int argc, char **argv)
{
    char *input = NULL, *mark = NULL;
    size_t input_len = 0;
    int i = 1;
    while (i + 1 < argc && (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-w"))) {
        if (argv[i][1] == 'w') {
            mark = argv[i + 1];
        } else {
            input = argv[i + 1];
            input_len = unescape(input);
        }
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: ptyrun [-i TEXT] COMMAND [ARG...]\n");
        return 64;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        perror("ptyrun: /dev/ptmx");
        return 71;
    }
    char *name = ptsname(master);
    pid_t pid = fork();
    if (pid < 0) {
        perror("ptyrun: fork");
        return 71;
    }
    if (pid == 0) {
        setsid();
        int slave = open(name, O_RDWR);
        if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
            perror("ptyrun: slave");
            _exit(71);
        }
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2)
            close(slave);
        close(master);
        execvp(argv[i], argv + i);
        fprintf(stderr, "ptyrun: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    /* Output seen so far, while waiting for the mark. */
    static char seen[65536];
    size_t seen_len = 0;
    int typed = 0;
    if (input_len && !mark) {
        if (write(master, input, input_len) < 0)
            perror("ptyrun: write");
        typed = 1;
    }
    /* Copy until the last slave descriptor closes (EIO), then reap. */
    char buf[4096];
    for (;;) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n > 0) {
            fwrite(buf, 1, (size_t)n, stdout);
            if (input_len && !typed) {
                size_t room = sizeof seen - 1 - seen_len;
                size_t take = (size_t)n < room ? (size_t)n : room;
                memcpy(seen + seen_len, buf, take);
                seen_len += take;
                seen[seen_len] = 0;
                if (strstr(seen, mark)) {
                    fflush(stdout);
                    if (write(master, input, input_len) < 0)
                        perror("ptyrun: write");
                    typed = 1;
                }
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    fflush(stdout);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 71;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
