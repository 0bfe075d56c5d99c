/*
 * peer_raw.c: the floor. A sigaction() handler sets a sig_atomic_t flag;
 * the loop looks at the flag and runs the application's handler. When
 * nothing is pending, a blocking turn waits in sigsuspend().
 */
#include <stddef.h>

#include "bench.h"

#define MAXSIG 65

static volatile sig_atomic_t flag[MAXSIG];
static volatile sig_atomic_t any;
static bench_cb cbs[MAXSIG];
static int watched[MAXSIG], nwatched;

static void handler(int signum) {
  flag[signum] = 1;
  any = 1;
}

static int raw_init(void) { return 0; }

static int raw_watch(int signum, bench_cb cb) {
  struct sigaction sa;
  sa.sa_handler = handler;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
  if (sigaction(signum, &sa, NULL) != 0) return -1;
  cbs[signum] = cb;
  watched[nwatched++] = signum;
  return 0;
}

static void run_flags(void) {
  int i;
  any = 0;
  for (i = 0; i < nwatched; i++) {
    int s = watched[i];
    if (flag[s]) {
      flag[s] = 0;
      cbs[s](s, 0);
    }
  }
}

static void raw_turn(int block) {
  if (!any && block) {
    sigset_t mask, old;
    int i;
    sigemptyset(&mask);
    for (i = 0; i < nwatched; i++) sigaddset(&mask, watched[i]);
    sigprocmask(SIG_BLOCK, &mask, &old);
    while (!any) sigsuspend(&old);
    run_flags();
    sigprocmask(SIG_SETMASK, &old, NULL);
    return;
  }
  if (any) run_flags();
}

static void raw_fini(void) {}

static void raw_idle_extra(double seconds) {
  bench_row("idle", "raw", "flag read",
            bench_time_per_iter(bench_flag_reads, NULL, seconds), "ns");
}

static const struct bench_peer peer = {
    "raw", 0, 1, raw_init, raw_watch, raw_turn, raw_fini, raw_idle_extra,
    "flag check (loop turn)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
