/*
 * fanout_sigport.c: sigport watches as the consumers of the fan-out
 * workload (fanout.h). No sigport_signal() handler: the signal is held by
 * the watches alone.
 *   one      N watches on the signal; the thread poll()s their N fds and
 *            takes once from each readable one (a take that leaves
 *            something untaken leaves the fd readable, so once is enough).
 *   shared   N watches on the signal in one group: watch 0 opened with
 *            sigport_watch_open(), the others with
 *            sigport_watch_open_shared() on it; the thread poll()s their
 *            one fd and, when it is readable, takes once from every watch
 *            (the fd stays readable while any of them has something
 *            untaken).
 *   threads  a watch per thread; each thread runs an epoll loop on its fd,
 *            as each of libuv's loops does on its pipe, and takes.
 */
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "fanout.h"
#include "sigport.h"

static sigport_watch_t *watches[FAN_MAX];
static struct pollfd fds[FAN_MAX];
static int nwatches;
/* Mode shared: fds[0] is the group's fd. */
static int shared;

static int s_init(void) { return sigport_init(0); }

/* A watch on signum, in share's group if share is not NULL. */
static sigport_watch_t *open_one(int signum, sigport_watch_t *share) {
  sigport_sigset_t set;
  sigport_watch_t *w;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, signum);
  if (share == NULL ? sigport_watch_open(&set, 0, &w)
                    : sigport_watch_open_shared(&set, 0, share, &w)) {
    fprintf(stderr, "fanout: %s: %s\n",
            share == NULL ? "sigport_watch_open" : "sigport_watch_open_shared",
            sigport_last_error());
    return NULL;
  }
  return w;
}

static int s_open_all(int signum, int n) {
  int i;
  for (i = 0; i < n; i++) {
    watches[i] = open_one(signum, NULL);
    if (watches[i] == NULL) return -1;
    fds[i].fd = sigport_watch_fd(watches[i]);
    fds[i].events = POLLIN;
  }
  nwatches = n;
  return 0;
}

static int s_open_shared(int signum, int n) {
  int i;
  for (i = 0; i < n; i++) {
    watches[i] = open_one(signum, i == 0 ? NULL : watches[0]);
    if (watches[i] == NULL) return -1;
  }
  fds[0].fd = sigport_watch_fd(watches[0]);
  fds[0].events = POLLIN;
  nwatches = n;
  shared = 1;
  return 0;
}

static void s_turn(int timeout_ms) {
  int i, r = poll(fds, shared ? 1 : (nfds_t)nwatches, timeout_ms);
  if (r <= 0) return;
  for (i = 0; i < nwatches; i++) {
    sigport_siginfo_t info;
    if (!(fds[shared ? 0 : i].revents & POLLIN)) continue;
    if (sigport_watch_take(watches[i], &info) > 0) fan_seen(i, info.count);
  }
}

static void s_close_all(void) {
  int i;
  for (i = 0; i < nwatches; i++) sigport_watch_close(watches[i]);
}

static void s_thread_main(int i, int signum) {
  sigport_watch_t *w = open_one(signum, NULL);
  struct epoll_event ev;
  int ep;
  if (w == NULL) fan_die("sigport_watch_open");
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) fan_die("epoll_create1");
  ev.events = EPOLLIN;
  ev.data.u64 = 0;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, (int)sigport_watch_fd(w), &ev) != 0)
    fan_die("epoll_ctl");
  fan_ready();
  for (;;) {
    sigport_siginfo_t info;
    if (epoll_wait(ep, &ev, 1, -1) <= 0) continue;
    if (sigport_watch_take(w, &info) > 0) fan_seen(i, info.count);
    if (fan_stopping()) break;
  }
  close(ep);
  sigport_watch_close(w);
}

static void s_fini(void) { sigport_shutdown(); }

static const struct fan_peer peer = {"sigport",     s_init, s_open_all,
                                     s_open_shared, s_turn, s_close_all,
                                     s_thread_main, s_fini};

int main(int argc, char **argv) { return fan_main(&peer, argc, argv); }
