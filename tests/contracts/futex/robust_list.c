/* set_robust_list accepts exactly sizeof(struct robust_list_head) and
 * does not check the pointer; get_robust_list reports a thread's head
 * and that size, ESRCH for no such thread, EFAULT for bad pointers. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static struct robust_list_head mine, theirs;
static volatile long thread_tid;
static uint32_t go;

static void *thread(void *arg)
{
    (void)arg;
    syscall(SYS_set_robust_list, &theirs, sizeof theirs);
    thread_tid = gettid_raw();
    while (futex_t(&go, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0 && !go)
        ;
    return NULL;
}

int main(void)
{
    struct robust_list_head *h = NULL, *saved = NULL;
    size_t len = 0, saved_len = 0;
    OK("get own (libc's) head", syscall(SYS_get_robust_list, 0, &saved, &saved_len));
    SAY("set, len 0", syscall(SYS_set_robust_list, &mine, 0));
    SAY("set, len 23", syscall(SYS_set_robust_list, &mine, 23));
    SAY("set, len 25", syscall(SYS_set_robust_list, &mine, 25));
    SAY("set, len 24", syscall(SYS_set_robust_list, &mine, sizeof mine));
    SAY("get, pid 0", syscall(SYS_get_robust_list, 0, &h, &len));
    say("  head is ours: %d, len %zu", h == &mine, len);
    h = NULL;
    SAY("get, own tid", syscall(SYS_get_robust_list, (int)gettid_raw(), &h, &len));
    say("  head is ours: %d", h == &mine);
    SAY("set, unchecked pointer", syscall(SYS_set_robust_list, (void *)16, sizeof mine));
    SAY("get", syscall(SYS_get_robust_list, 0, &h, &len));
    say("  head is that pointer: %d", h == (void *)16);
    SAY("get, no such thread", syscall(SYS_get_robust_list, 0x3ffffff0, &h, &len));
    SAY("get, bad head pointer", syscall(SYS_get_robust_list, 0, (void *)8, &len));
    SAY("get, bad len pointer", syscall(SYS_get_robust_list, 0, &h, (void *)8));

    pthread_t t;
    pthread_create(&t, NULL, thread, NULL);
    while (!thread_tid)
        usleep(1000);
    SAY("get another thread's head", syscall(SYS_get_robust_list, (int)thread_tid, &h, &len));
    say("  head is the thread's: %d", h == &theirs);
    go = 1;
    futex_n(&go, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    pthread_join(t, NULL);
    SAY("restore libc's head", syscall(SYS_set_robust_list, saved, saved_len ? saved_len : sizeof mine));
    return 0;
}
