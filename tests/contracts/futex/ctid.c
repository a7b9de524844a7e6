/* set_tid_address returns the caller's tid. CLONE_CHILD_SETTID stores the
 * new thread's tid in its memory, CLONE_PARENT_SETTID in the parent's, and
 * CLONE_CHILD_CLEARTID makes the kernel zero that word and wake a futex
 * waiter on it when the thread exits (how pthread_join works). A process
 * alone in its memory is not cleared for: nobody could look. */
#include "contract.h"
#include "futex_test.h"
#include <sys/wait.h>

static volatile uint32_t ctid, moved;
static volatile int phase, started;

static int child(void *arg)
{
    (void)arg;
    started = 1;
    if (phase == 1)
        syscall(SYS_set_tid_address, &moved); /* the word to clear moves */
    struct timespec ts = {0, 20 * 1000000};
    syscall(SYS_nanosleep, &ts, NULL);
    return 0; /* the clone wrapper then calls exit */
}

int main(void)
{
    static uint32_t dummy;
    SAY("set_tid_address returns the tid", syscall(SYS_set_tid_address, &dummy) == gettid_raw());

    size_t size = 128 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pid_t ptid = 0;
    ctid = 77;
    long tid = clone(child, stack + size, RAW_THREAD_FLAGS, NULL, &ptid, NULL, &ctid);
    say("clone returned a tid: %d", tid > 0);
    say("parent tid word == tid: %d", ptid == tid);
    /* The child stores it before it runs any of its own code. */
    while (!started)
        usleep(1000);
    say("child tid word == tid once it runs: %d", ctid == (uint32_t)tid);
    raw_join(&ctid);
    say("child tid word cleared: %d", ctid == 0);

    /* The thread moves its clear-tid word with set_tid_address. */
    phase = 1;
    ctid = 0;
    moved = 55;
    tid = clone(child, stack + size, RAW_THREAD_FLAGS, NULL, &ptid, NULL, &ctid);
    raw_join(&moved);
    say("moved word cleared: %d, first word is the tid: %d", moved == 0, ctid == (uint32_t)tid);

    /* Without CLONE_CHILD_SETTID the word keeps its value until exit. */
    phase = 0;
    ctid = 99;
    tid = clone(child, stack + size, RAW_THREAD_FLAGS & ~CLONE_CHILD_SETTID, NULL, &ptid, NULL, &ctid);
    say("word before exit: %u", ctid);
    raw_join(&ctid);
    say("word after exit: %u", ctid);

    /* A child process that is alone in its memory: its clear-tid word, in
     * memory shared with us, is left alone. */
    uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *shm = 7;
    pid_t pid = fork();
    if (pid == 0) {
        syscall(SYS_set_tid_address, shm);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    say("single-threaded process exit leaves the word: %u", *shm);
    return 0;
}
