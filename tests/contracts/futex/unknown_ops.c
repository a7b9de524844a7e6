/* futex commands that do not exist fail with ENOSYS; the modifier flags
 * (FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME) are not part of the command. */
#include "contract.h"
#include "futex_test.h"

int main(void)
{
    static uint32_t w;
    SAY("FUTEX_FD (removed)", futex_n(&w, 2, 0, 0, NULL, 0));
    SAY("command 14", futex_n(&w, 14, 0, 0, NULL, 0));
    SAY("command 15", futex_n(&w, 15, 0, 0, NULL, 0));
    SAY("command 99", futex_n(&w, 99, 0, 0, NULL, 0));
    SAY("command 127 | PRIVATE", futex_n(&w, 127 | FUTEX_PRIVATE_FLAG, 0, 0, NULL, 0));
    SAY("FUTEX_WAKE | PRIVATE", futex_n(&w, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, NULL, 0));
    SAY("FUTEX_WAKE | bit 9", futex_n(&w, FUTEX_WAKE | 512, 1, 0, NULL, 0));
    SAY("FUTEX_WAKE_BITSET | PRIVATE", futex_n(&w, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, 0, NULL, 1));
    SAY("FUTEX_WAKE_OP | PRIVATE", futex_n(&w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, &w, 0));
    SAY("FUTEX_CMP_REQUEUE | PRIVATE", futex_n(&w, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 1, &w, 0));
    SAY("FUTEX_TRYLOCK_PI | PRIVATE", futex_n(&w, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, 0, 0, NULL, 0));
    SAY("FUTEX_UNLOCK_PI | PRIVATE", futex_n(&w, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, 0, NULL, 0));
    SAY("word", w);
    return 0;
}
