/* clone(2) for processes with shared resources: CLONE_FILES, CLONE_FS,
 * CLONE_VM, CLONE_SIGHAND, CLONE_PARENT, and a non-SIGCHLD exit signal
 * (waited for with __WCLONE / __WALL). */
#include "contract.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char stack[4][65536] __attribute__((aligned(16)));
static volatile int shared;
static int newfd = -1;

static int open_fd(void *arg) { (void)arg; newfd = open("/dev/null", O_RDONLY); return 0; }
static int do_chdir(void *arg) { (void)arg; chdir("sub"); umask(077); return 0; }
static int write_mem(void *arg) { (void)arg; shared = 42; return 3; }
static void on_usr1(int s) { (void)s; }
static int set_handler(void *arg) { (void)arg; signal(SIGUSR2, on_usr1); return 0; }

static pid_t spawn(int (*fn)(void *), int flags, int i)
{
    return clone(fn, stack[i] + sizeof stack[i], flags, 0);
}

int main(void)
{
    int st;
    mkdir("sub", 0755);
    pid_t p = spawn(open_fd, CLONE_FILES | CLONE_VM | SIGCHLD, 0);
    waitpid(p, &st, 0);
    say("CLONE_FILES: child's fd open in parent: %d", newfd >= 0 && fcntl(newfd, F_GETFD) != -1);

    p = spawn(open_fd, CLONE_VM | SIGCHLD, 0);
    waitpid(p, &st, 0);
    say("no CLONE_FILES: child's fd open in parent: %d", fcntl(newfd + 1, F_GETFD) != -1);

    char cwd[256];
    p = spawn(do_chdir, CLONE_FS | CLONE_VM | SIGCHLD, 1);
    waitpid(p, &st, 0);
    getcwd(cwd, sizeof cwd);
    say("CLONE_FS: parent's cwd ends with /sub: %d", strlen(cwd) > 4 && strcmp(cwd + strlen(cwd) - 4, "/sub") == 0);
    say("CLONE_FS: umask shared: %o", umask(022));
    chdir("..");

    p = spawn(write_mem, CLONE_VM | SIGCHLD, 2);
    waitpid(p, &st, 0);
    say("CLONE_VM: store visible: %d, status %s", shared, wstatus(st));
    shared = 0;
    p = spawn(write_mem, SIGCHLD, 2);
    waitpid(p, &st, 0);
    say("no CLONE_VM: store visible: %d", shared);

    p = spawn(set_handler, CLONE_VM | CLONE_SIGHAND | SIGCHLD, 3);
    waitpid(p, &st, 0);
    struct sigaction sa;
    sigaction(SIGUSR2, 0, &sa);
    say("CLONE_SIGHAND: handler shared: %d", sa.sa_handler == on_usr1);

    signal(SIGUSR1, SIG_IGN); /* the clone child exits with SIGUSR1 */
    p = spawn(write_mem, CLONE_VM | SIGUSR1, 2);
    SAY("wait for a clone child without __WCLONE", waitpid(p, &st, WNOHANG));
    say("__WCLONE finds it: %d", waitpid(p, &st, __WCLONE) == p);
    p = spawn(write_mem, CLONE_VM | 0, 2);
    say("__WALL finds an exit-signal-0 child: %d", waitpid(p, &st, __WALL) == p);

    SAY("CLONE_SIGHAND without CLONE_VM", clone(write_mem, stack[0] + 65536, CLONE_SIGHAND | SIGCHLD, 0));
    SAY("CLONE_THREAD without CLONE_SIGHAND", clone(write_mem, stack[0] + 65536, CLONE_THREAD | CLONE_VM | SIGCHLD, 0));
    SAY("CLONE_FS with CLONE_NEWNS", clone(write_mem, stack[0] + 65536, CLONE_FS | CLONE_NEWNS | SIGCHLD, 0));
    return 0;
}
