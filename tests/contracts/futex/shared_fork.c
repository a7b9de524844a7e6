/* Shared futexes in MAP_SHARED anonymous memory work across fork: a
 * waiter in one process is woken by the other. The key is the memory,
 * not the address space, so a FUTEX_PRIVATE_FLAG wake (keyed by address
 * space) does not reach a waiter in another process. */
#include "contract.h"
#include "futex_test.h"
#include <sys/wait.h>

int main(void)
{
    uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile uint32_t *word = shm, *flag = shm + 1;

    /* The child waits, the parent wakes. */
    pid_t pid = fork();
    if (pid == 0) {
        long r;
        while ((r = futex_t(word, FUTEX_WAIT, 0, NULL, NULL, 0)) != 0 && errno == EINTR)
            ;
        *flag = 1;
        _exit(r == 0 ? 0 : 1);
    }
    await_waiters(word, 0, 1);
    SAY("private wake from the other process", futex_n(word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    SAY("shared wake from the other process", futex_n(word, FUTEX_WAKE, 1, 0, NULL, 0));
    int st;
    waitpid(pid, &st, 0);
    say("child: %s, flag %u", wstatus(st), *flag);

    /* The parent waits, the child wakes once it sees the parent asleep. */
    *word = 0;
    pid = fork();
    if (pid == 0) {
        await_waiters(word, 0, 1);
        *word = 1;
        long r = futex_n(word, FUTEX_WAKE, 1, 0, NULL, 0);
        _exit(r == 1 ? 0 : 2);
    }
    long r;
    while ((r = futex_t(word, FUTEX_WAIT, 0, NULL, NULL, 0)) != 0 && errno == EINTR)
        ;
    say("parent woken: %ld, word %u", r, *word);
    waitpid(pid, &st, 0);
    say("waker child: %s", wstatus(st));

    /* Three children wait; one wake of 2 then one of all. */
    *word = 0;
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            while (futex_t(word, FUTEX_WAIT, 0, NULL, NULL, 0) != 0)
                ;
            _exit(0);
        }
    }
    await_waiters(word, 0, 3);
    SAY("wake 2 of 3 processes", futex_n(word, FUTEX_WAKE, 2, 0, NULL, 0));
    SAY("wake the rest", futex_n(word, FUTEX_WAKE, INT_MAX, 0, NULL, 0));
    int n = 0;
    while (wait(&st) > 0)
        n += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    say("children ended well: %d", n);
    return 0;
}
