/* O_TMPFILE: an unnamed regular file in a directory's file system; the
 * flag rules (write access needed, a directory to create in, no O_CREAT
 * mix), its metadata, and that it never shows up in the directory. */
#include "contract.h"
#include "vfs.h"
#include <dirent.h>

int main(void)
{
    mkdir("d", 0755);
    umask(022);
    int fd = open("d", O_TMPFILE | O_RDWR, 0666);
    SAY("O_TMPFILE|O_RDWR", fd >= 0);
    struct stat st;
    fstat(fd, &st);
    say("regular %d, nlink %lu, mode %o, size %ld", S_ISREG(st.st_mode), (unsigned long)st.st_nlink, st.st_mode & 07777, (long)st.st_size);
    SAY("write", write(fd, "temp data", 9));
    SAY("pread", pread(fd, (char[16]){0}, 16, 0));
    fstat(fd, &st);
    say("size now %ld", (long)st.st_size);
    int n = 0;
    DIR *dir = opendir("d");
    struct dirent *e;
    while ((e = readdir(dir)))
        n++;
    closedir(dir);
    say("entries in d (with . and ..): %d", n);
    SAY("O_TMPFILE|O_WRONLY", open("d", O_TMPFILE | O_WRONLY, 0600) >= 0);
    SAY("O_TMPFILE|O_RDONLY", open("d", O_TMPFILE | O_RDONLY, 0600));
    SAY("O_TMPFILE on a file", open("d/../d/x", O_CREAT | O_WRONLY, 0644) >= 0 ? open("d/x", O_TMPFILE | O_RDWR, 0600) : -2);
    SAY("O_TMPFILE in a missing dir", open("nope", O_TMPFILE | O_RDWR, 0600));
    SAY("O_TMPFILE|O_CREAT", open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600));
    SAY("__O_TMPFILE without O_DIRECTORY", open("d", 020000000 | O_RDWR, 0600));
    SAY("O_TMPFILE|O_PATH (open(2) keeps only O_PATH flags)", open("d", O_TMPFILE | O_PATH | O_RDWR, 0600) >= 0);
    SAY("O_TMPFILE|O_APPEND", open("d", O_TMPFILE | O_RDWR | O_APPEND, 0600) >= 0);
    int t2 = open(".", O_TMPFILE | O_RDWR, 04777);
    fstat(t2, &st);
    say("mode with umask 022 and 04777: %o", st.st_mode & 07777);
    SAY("mmap and store", ({ ftruncate(t2, 4096); char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, t2, 0); p[0] = 'M'; munmap(p, 4096); 0; }));
    char c = 0;
    pread(t2, &c, 1, 0);
    say("byte through the mapping: %c", c);
    mkdir("ro", 0555);
    mkdir("rw", 0777);
    chmod("rw", 0777);
    chmod(".", 0755);
    pid_t p = fork();
    if (p == 0) {
        become_user(1000, 1000);
        SAY("as a user in a 0555 dir", open("ro", O_TMPFILE | O_RDWR, 0600));
        int u = open("rw", O_TMPFILE | O_RDWR, 0600);
        SAY("as a user in a 0777 dir", u >= 0);
        struct stat us;
        fstat(u, &us);
        say("owner is the user: %d", us.st_uid == 1000 && us.st_gid == 1000);
        _exit(0);
    }
    int ws;
    waitpid(p, &ws, 0);
    say("child %s", wstatus(ws));
    return 0;
}
