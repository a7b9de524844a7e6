/* Edge-triggered epoll (EPOLLET): an item is reported once per change
 * that makes it ready. Each new write to a pipe is a new edge, even if
 * data was already there; reading part of it is not; a writer's space
 * edge comes when a read frees a page of a full pipe; MOD re-arms. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe2(p, O_NONBLOCK);
    ep_add(ep, p[0], EPOLLIN | EPOLLET);
    show_wait("empty", ep, 8, 0);
    write(p[1], "a", 1);
    show_wait("first write", ep, 8, 0);
    show_wait("again, no new write", ep, 8, 0);
    write(p[1], "b", 1);
    show_wait("second write (data was there)", ep, 8, 0);
    char b[4];
    read(p[0], b, 1);
    show_wait("partial read", ep, 8, 0);
    write(p[1], "c", 1);
    write(p[1], "d", 1);
    show_wait("two writes, one report", ep, 8, 0);
    ep_mod(ep, p[0], EPOLLIN | EPOLLET);
    show_wait("MOD while ready: reported again", ep, 8, 0);
    show_wait("and then not", ep, 8, 0);

    /* The writer's side. */
    int w = epoll_create1(0);
    ep_add(w, p[1], EPOLLOUT | EPOLLET);
    show_wait("writer, first wait", w, 8, 0);
    show_wait("writer, second wait", w, 8, 0);
    static char page[4096];
    while (write(p[1], page, sizeof page) > 0)
        ;
    show_wait("writer, pipe full", w, 8, 0);
    read(p[0], page, 100);
    show_wait("writer, 100 bytes read (the short first page is freed)", w, 8, 0);
    read(p[0], page, sizeof page);
    show_wait("writer, another page read (it was not full: no edge)", w, 8, 0);
    show_wait("writer, again", w, 8, 0);
    close(p[0]);
    show_wait("writer, reader closed", w, 8, 0);

    /* A blocked epoll_wait wakes on the edge. */
    int q[2];
    pipe(q);
    int e2 = epoll_create1(0);
    ep_add(e2, q[0], EPOLLIN | EPOLLET);
    if (fork() == 0) {
        sleep_ms(30);
        write(q[1], "x", 1);
        _exit(0);
    }
    show_wait("blocked wait", e2, 8, -1);
    wait(0);
    return 0;
}
