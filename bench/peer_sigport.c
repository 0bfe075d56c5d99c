/*
 * peer_sigport.c: sigport. Built twice: without a wakeup fd (a blocking
 * turn is sigport_pause(), a turn with something pending is
 * sigport_dispatch()), and with BENCH_WAKEUP_FD, where the loop polls
 * the wakeup fd, drains it and dispatches: BENCH_WAKEUP_FD=1 uses
 * sigport_socketpair(), BENCH_WAKEUP_FD=2 a pipe.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "sigport.h"

static bench_cb cbs[SIGPORT_NSIG];
#if BENCH_WAKEUP_FD
static sigport_socket_t pair[2] = {SIGPORT_NO_SOCKET, SIGPORT_NO_SOCKET};
#if BENCH_WAKEUP_FD == 2
#define NAME "sigport-pipe"
#define TURN_NAME "poll(0) on the wakeup pipe"
#else
#define NAME "sigport-fd"
#define TURN_NAME "poll(0) on the wakeup socket"
#endif
#else
#define NAME "sigport"
#define TURN_NAME "sigport_dispatch()"
#endif

static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)arg;
  cbs[signum](signum, info->count);
  return 0;
}

/* The wakeup fd may fill during a burst; it is only a wakeup, the counts
   are the record, so the warning is not wanted. */
#define FLAGS SIGPORT_WAKEUP_NO_WARN

static int p_init(void) {
  if (sigport_init(0) != 0) return -1;
#if BENCH_WAKEUP_FD
#if BENCH_WAKEUP_FD == 2
  if (pipe2(pair, O_NONBLOCK | O_CLOEXEC) != 0) return -1;
  if (sigport_set_wakeup_fd(pair[1], FLAGS, NULL) != 0) return -1;
  return 0;
#endif
  if (sigport_socketpair(pair) != 0) return -1;
  if (sigport_set_wakeup_fd(pair[1], FLAGS, NULL) != 0) return -1;
#endif
  return 0;
}

static int p_watch(int signum, bench_cb cb) {
  cbs[signum] = cb;
  return sigport_signal(signum, handler, NULL, NULL) == 0 ? 0 : -1;
}

static void p_turn(int block) {
#if BENCH_WAKEUP_FD
  struct pollfd p;
  char buf[256];
  p.fd = pair[0];
  p.events = POLLIN;
  p.revents = 0;
  if (poll(&p, 1, block ? -1 : 0) != 0 || block) {
    ssize_t n = read(pair[0], buf, sizeof buf);
    (void)n;
    sigport_dispatch();
  }
#else
  if (block && !sigport_pending())
    sigport_pause();
  else
    sigport_dispatch();
#endif
}

static void p_fini(void) {
#if BENCH_WAKEUP_FD
  sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  close(pair[0]);
  close(pair[1]);
#endif
  sigport_shutdown();
}

#if !BENCH_WAKEUP_FD
static void pendings(void *arg, long n) {
  long i, hits = 0;
  (void)arg;
  for (i = 0; i < n; i++)
    if (sigport_pending()) hits++;
  if (hits != 0) fprintf(stderr, "bench: sigport_pending() while idle\n");
}

static void p_idle_extra(double seconds) {
  double pending, flag;
  bench_row("idle", NAME, "sigport_pending()",
            bench_time_per_iter(pendings, NULL, seconds), "ns");
  /* The same beside a flag read in this process, chunk after chunk. */
  bench_time_pair(pendings, bench_flag_reads, seconds, &pending, &flag);
  bench_row("idle", NAME, "paired: sigport_pending()", pending, "ns");
  bench_row("idle", NAME, "paired: flag read", flag, "ns");
}
#else
#define p_idle_extra NULL
#endif

static const struct bench_peer peer = {
    NAME, 1, 1, p_init, p_watch, p_turn, p_fini, p_idle_extra, TURN_NAME};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
