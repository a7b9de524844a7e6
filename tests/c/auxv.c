/* kevlar-test: also-static-pie
 *
 * auxv.c: the initial process state Linux builds at execve: argc/argv/envp
 * and the auxiliary vector (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ,
 * AT_ENTRY, AT_BASE, AT_RANDOM, AT_HWCAP, AT_CLKTCK, AT_UID/EUID/GID/EGID,
 * AT_SECURE, AT_EXECFN, AT_PLATFORM), checked against the program's own
 * ELF headers. Built twice: static (ET_EXEC) and static-pie (ET_DYN).
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "kvtest.h"

extern void _start(void);
extern char **environ;

int main(int argc, char **argv)
{
    char d[160];
    unsigned long pagesz = getauxval(AT_PAGESZ);
    check("pagesz", pagesz == 4096, "AT_PAGESZ != 4096");

    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    unsigned long phent = getauxval(AT_PHENT), phnum = getauxval(AT_PHNUM);
    check("phent", phent == sizeof(Elf64_Phdr), "AT_PHENT != 56");
    check("phnum", phnum > 0 && phnum < 64, "AT_PHNUM out of range");

    /* The ELF header is mapped with the first PT_LOAD (file offset 0):
     * find it through the program headers and compare. */
    unsigned long first_vaddr = 0, phdr_vaddr = 0;
    int have_first = 0, covers_main = 0;
    for (unsigned long i = 0; ph && i < phnum; i++) {
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && !have_first) {
            first_vaddr = ph[i].p_vaddr;
            have_first = 1;
        }
        if (ph[i].p_type == PT_PHDR)
            phdr_vaddr = ph[i].p_vaddr;
    }
    check("first-load-at-offset-0", have_first, "no PT_LOAD maps the ELF header");
    const Elf64_Ehdr *eh = 0;
    unsigned long bias = 0;
    if (have_first && ph) {
        /* Headers follow the ELF header in the first segment. */
        const Elf64_Ehdr *guess = (const Elf64_Ehdr *)((unsigned long)ph & ~(pagesz - 1));
        if (memcmp(guess->e_ident, ELFMAG, SELFMAG) == 0 && (unsigned long)guess + guess->e_phoff == (unsigned long)ph) {
            eh = guess;
            bias = (unsigned long)eh - first_vaddr;
        }
        (void)phdr_vaddr;
    }
    check("phdr-points-into-image", eh != 0, "AT_PHDR is not e_phoff bytes after a mapped ELF header");
    if (eh) {
        check("phnum-matches-ehdr", eh->e_phnum == phnum, "e_phnum != AT_PHNUM");
        snprintf(d, sizeof d, "AT_ENTRY %#lx, e_entry+bias %#lx", getauxval(AT_ENTRY), (unsigned long)eh->e_entry + bias);
        check("entry-matches-ehdr", getauxval(AT_ENTRY) == eh->e_entry + bias, "%s", d);
        for (unsigned long i = 0; i < phnum; i++)
            if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
                (unsigned long)main >= ph[i].p_vaddr + bias && (unsigned long)main < ph[i].p_vaddr + bias + ph[i].p_memsz)
                covers_main = 1;
        check("main-in-exec-segment", covers_main, "main is not inside an executable PT_LOAD");
    }
    snprintf(d, sizeof d, "AT_ENTRY %#lx, _start %#lx", getauxval(AT_ENTRY), (unsigned long)_start);
    check("entry-is-_start", getauxval(AT_ENTRY) == (unsigned long)_start, "%s", d);
    check("base-zero-without-interp", getauxval(AT_BASE) == 0, "AT_BASE != 0 for a static program");

    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    int nonzero = 0;
    for (int i = 0; rnd && i < 16; i++)
        nonzero |= rnd[i];
    check("random", rnd && nonzero, "AT_RANDOM missing or all zero");
    check("hwcap", getauxval(AT_HWCAP) != 0, "AT_HWCAP is 0");
    check("clktck", getauxval(AT_CLKTCK) == 100, "AT_CLKTCK != 100");
    check("uid", getauxval(AT_UID) == getuid(), "AT_UID != getuid()");
    check("euid", getauxval(AT_EUID) == geteuid(), "AT_EUID != geteuid()");
    check("gid", getauxval(AT_GID) == getgid(), "AT_GID != getgid()");
    check("egid", getauxval(AT_EGID) == getegid(), "AT_EGID != getegid()");
    check("secure", getauxval(AT_SECURE) == 0, "AT_SECURE != 0");

    const char *execfn = (const char *)getauxval(AT_EXECFN);
    snprintf(d, sizeof d, "AT_EXECFN '%s', argv[0] '%s'", execfn ? execfn : "(null)", argv[0]);
    check("execfn-is-exec-path", execfn && strcmp(execfn, argv[0]) == 0, "%s", d);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    check("platform", plat && strcmp(plat, "x86_64") == 0, "AT_PLATFORM != x86_64");

    check("argv-terminated", argv[argc] == 0, "argv[argc] != NULL");
    check("argc-positive", argc >= 1, "argc < 1");
    /* Linux's layout: argv strings, then environment strings, then the
     * exec file name, from low to high addresses. */
    if (environ && environ[0]) {
        check("argv-below-env", argv[0] < environ[0], "argv[0] string not below envp[0]");
        check("env-below-execfn", execfn && environ[0] < execfn, "envp[0] string not below AT_EXECFN");
        check("argv-contiguous", argc < 2 || argv[1] == argv[0] + strlen(argv[0]) + 1, "argv strings not contiguous");
    } else {
        check("environment-present", 0, "empty environment");
    }

    return summary();
}
