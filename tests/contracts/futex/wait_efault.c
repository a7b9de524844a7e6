/* Bad futex addresses: a misaligned word is EINVAL (checked first), a
 * word that cannot be read EFAULT. FUTEX_WAKE on a private futex never
 * touches the word, so an unmapped one just has no waiters; a shared
 * wake must find the page, so it fails with EFAULT. */
#include "contract.h"
#include "futex_test.h"

int main(void)
{
    char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    struct {
        const char *name;
        void *addr;
    } cases[] = {
        {"NULL", NULL},
        {"misaligned", page + 2},
        {"misaligned NULL+1", (void *)1},
        {"unmapped page", gone},
        {"PROT_NONE page", none},
        {"non-canonical", (void *)0x800000000000UL},
        {"kernel half", (void *)0xffff800000000000UL},
        {"last user word", (void *)0x7ffffffffffcUL},
    };
    char label[96];
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(label, sizeof label, "%s: private wait", cases[i].name);
        SAY(label, futex_t(cases[i].addr, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
        snprintf(label, sizeof label, "%s: shared wait", cases[i].name);
        SAY(label, futex_t(cases[i].addr, FUTEX_WAIT, 0, NULL, NULL, 0));
        snprintf(label, sizeof label, "%s: private wake", cases[i].name);
        SAY(label, futex_n(cases[i].addr, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
        snprintf(label, sizeof label, "%s: shared wake", cases[i].name);
        SAY(label, futex_n(cases[i].addr, FUTEX_WAKE, 1, 0, NULL, 0));
    }
    return 0;
}
