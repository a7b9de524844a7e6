/* A shared futex is the file's memory, wherever it is mapped: two
 * MAP_SHARED mappings of one file at different addresses are the same
 * futex for shared operations, in one process and across processes. A
 * FUTEX_PRIVATE_FLAG operation is keyed by address instead, so it does
 * not meet a waiter through the other mapping. */
#include "contract.h"
#include "futex_test.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>

static uint32_t *m1, *m2;

static void *wait_shared(void *arg)
{
    (void)arg;
    while (futex_t(m1 + 3, FUTEX_WAIT, 0, NULL, NULL, 0) != 0)
        ;
    return NULL;
}

static void *wait_private(void *arg)
{
    (void)arg;
    while (futex_t(m1 + 3, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0)
        ;
    return NULL;
}

int main(void)
{
    int fd = open("futex-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    OK("ftruncate", ftruncate(fd, 8192));
    m1 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m2 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    say("two mappings at different addresses: %d", m1 != m2);
    m2[3] = 0;

    pthread_t t;
    pthread_create(&t, NULL, wait_shared, NULL);
    await_waiters(m1 + 3, 0, 1);
    SAY("waiters seen through the other mapping", futex_waiters(m2 + 3, 0));
    SAY("private wake through the other mapping", futex_n(m2 + 3, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    SAY("shared wake of another word", futex_n(m2 + 4, FUTEX_WAKE, 1, 0, NULL, 0));
    SAY("shared wake through the other mapping", futex_n(m2 + 3, FUTEX_WAKE, 1, 0, NULL, 0));
    pthread_join(t, NULL);

    pthread_create(&t, NULL, wait_private, NULL);
    await_waiters(m1 + 3, FUTEX_PRIVATE_FLAG, 1);
    SAY("shared wake of a private waiter", futex_n(m1 + 3, FUTEX_WAKE, 1, 0, NULL, 0));
    SAY("private wake through the other mapping", futex_n(m2 + 3, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    SAY("private wake at the waiter's address", futex_n(m1 + 3, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    pthread_join(t, NULL);

    /* Another process maps the file on its own and waits; the parent
     * wakes through its second mapping. */
    pid_t pid = fork();
    if (pid == 0) {
        munmap(m1, 8192);
        munmap(m2, 8192);
        uint32_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
        long r;
        while ((r = futex_t(m + 1, FUTEX_WAIT, 0, NULL, NULL, 0)) != 0 && errno == EINTR)
            ;
        _exit(r == 0 ? 0 : 1);
    }
    await_waiters(m2 + 1024 + 1, 0, 1);
    SAY("wake the other process through the file", futex_n(m2 + 1024 + 1, FUTEX_WAKE, INT_MAX, 0, NULL, 0));
    int st;
    waitpid(pid, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
