/* PROT_EXEC: code written into a writable, non-executable page faults
 * when called (SIGSEGV, SEGV_ACCERR); after mprotect(PROT_READ|PROT_EXEC)
 * it runs; stores to it then fault; made writable again it can be
 * patched, and made executable again the new code runs. */
#include "contract.h"
#include "memprobe.h"

/* mov eax, imm32; ret */
static void emit(unsigned char *p, int v)
{
    p[0] = 0xb8;
    memcpy(p + 1, &v, 4);
    p[5] = 0xc3;
}

int main(void)
{
    unsigned char *p = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit(p, 42);
    say("call non-executable page: %s", probe_exec(p));
    SAY("make it R+X", mprotect(p, PG, PROT_READ | PROT_EXEC));
    say("call: %s", probe_exec(p));
    say("store to R+X page: %s", probe_write(p, 0x90));
    SAY("make it RW", mprotect(p, PG, PROT_READ | PROT_WRITE));
    emit(p, 7);
    SAY("make it RWX", mprotect(p, PG, PROT_READ | PROT_WRITE | PROT_EXEC));
    say("call patched code: %s", probe_exec(p));
    emit(p, 9);
    say("patch in place on RWX and call: %s", probe_exec(p));
    /* mmap with PROT_EXEC directly. */
    unsigned char *q = mmap(0, PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit(q, 123);
    say("call fresh RWX mapping: %s", probe_exec(q));
    SAY("PROT_NONE", mprotect(q, PG, PROT_NONE));
    say("call PROT_NONE page: %s", probe_exec(q));
    return 0;
}
