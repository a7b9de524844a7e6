/* The vDSO: AT_SYSINFO_EHDR names an ELF shared object mapped as [vdso]
 * that exports __vdso_clock_gettime, and the C library's clock_gettime,
 * gettimeofday and time (through it) agree with the system calls. */
#include "contract.h"
#include <elf.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    say("AT_SYSINFO_EHDR present: %d", eh != NULL);
    if (!eh)
        return 0;
    say("ELF magic %d type DYN %d page aligned %d", !memcmp(eh->e_ident, ELFMAG, SELFMAG), eh->e_type == ET_DYN, ((unsigned long)eh & 4095) == 0);
    FILE *f = fopen("/proc/self/maps", "r");
    char line[256];
    int vdso = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "[vdso]")) {
            unsigned long lo;
            sscanf(line, "%lx", &lo);
            vdso = lo == (unsigned long)eh ? 2 : 1;
        }
    }
    fclose(f);
    say("[vdso] in maps at AT_SYSINFO_EHDR: %d", vdso == 2);
    /* the symbol the C libraries look for */
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
    const Elf64_Dyn *dyn = NULL;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const Elf64_Dyn *)((const char *)eh + ph[i].p_offset);
    const char *strtab = NULL;
    const Elf64_Sym *symtab = NULL;
    const unsigned *hash = NULL;
    for (; dyn && dyn->d_tag; dyn++) {
        if (dyn->d_tag == DT_STRTAB) strtab = (const char *)eh + dyn->d_un.d_ptr;
        if (dyn->d_tag == DT_SYMTAB) symtab = (const Elf64_Sym *)((const char *)eh + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_HASH) hash = (const unsigned *)((const char *)eh + dyn->d_un.d_ptr);
    }
    int found = 0;
    for (unsigned i = 0; hash && i < hash[1]; i++)
        if (!strcmp(strtab + symtab[i].st_name, "__vdso_clock_gettime") && symtab[i].st_shndx)
            found = 1;
    say("exports __vdso_clock_gettime: %d", found);
    struct timespec a, s, b;
    for (int clk = 0; clk < 2; clk++) {
        clock_gettime(clk, &a);
        syscall(SYS_clock_gettime, clk, &s);
        clock_gettime(clk, &b);
        say("clock %d: libc, syscall, libc in order %d", clk, ns(a) <= ns(s) && ns(s) <= ns(b));
    }
    struct timeval tv;
    clock_gettime(CLOCK_REALTIME, &a);
    gettimeofday(&tv, NULL);
    clock_gettime(CLOCK_REALTIME, &b);
    long long tvns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
    say("gettimeofday between realtime reads: %d", tvns >= ns(a) - 1000 && tvns <= ns(b));
    time_t t = time(NULL);
    say("time() near realtime: %d", t >= a.tv_sec - 1 && t <= b.tv_sec + 1);
    return 0;
}
