/*
 * fanout_sigport.c: sigport watches as the consumers of the fan-out
 * workload (fanout.h). No sigport_signal() handler: the signal is held by
 * the watches alone.
 *   one      N watches on the signal; the thread poll()s their N fds and
 *            takes once from each readable one (a take that leaves
 *            something untaken leaves the fd readable, so once is enough).
 *   threads  a watch per thread; each thread poll()s its fd and takes.
 */
#include <poll.h>
#include <stdio.h>

#include "fanout.h"
#include "sigport.h"

static sigport_watch_t *watches[FAN_MAX];
static struct pollfd fds[FAN_MAX];
static int nwatches;

static int s_init(void) { return sigport_init(0); }

static sigport_watch_t *open_one(int signum) {
  sigport_sigset_t set;
  sigport_watch_t *w;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, signum);
  if (sigport_watch_open(&set, 0, &w) != 0) {
    fprintf(stderr, "fanout: sigport_watch_open: %s\n", sigport_last_error());
    return NULL;
  }
  return w;
}

static int s_open_all(int signum, int n) {
  int i;
  for (i = 0; i < n; i++) {
    watches[i] = open_one(signum);
    if (watches[i] == NULL) return -1;
    fds[i].fd = sigport_watch_fd(watches[i]);
    fds[i].events = POLLIN;
  }
  nwatches = n;
  return 0;
}

static void s_turn(int timeout_ms) {
  int i, r = poll(fds, (nfds_t)nwatches, timeout_ms);
  if (r <= 0) return;
  for (i = 0; i < nwatches; i++) {
    sigport_siginfo_t info;
    if (!(fds[i].revents & POLLIN)) continue;
    if (sigport_watch_take(watches[i], &info) > 0) fan_seen(i, info.count);
  }
}

static void s_close_all(void) {
  int i;
  for (i = 0; i < nwatches; i++) sigport_watch_close(watches[i]);
}

static void s_thread_main(int i, int signum) {
  sigport_watch_t *w = open_one(signum);
  struct pollfd p;
  if (w == NULL) fan_die("sigport_watch_open");
  p.fd = sigport_watch_fd(w);
  p.events = POLLIN;
  fan_ready();
  for (;;) {
    sigport_siginfo_t info;
    if (poll(&p, 1, -1) <= 0) continue;
    if (sigport_watch_take(w, &info) > 0) fan_seen(i, info.count);
    if (fan_stopping()) break;
  }
  sigport_watch_close(w);
}

static void s_fini(void) { sigport_shutdown(); }

static const struct fan_peer peer = {"sigport",   s_init,        s_open_all,
                                     s_turn,      s_close_all,   s_thread_main,
                                     s_fini};

int main(int argc, char **argv) { return fan_main(&peer, argc, argv); }
