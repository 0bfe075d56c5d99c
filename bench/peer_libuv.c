/*
 * peer_libuv.c: libuv's uv_signal_t on the default loop.
 */
#include <uv.h>

#include "bench.h"

#define MAXSIG 65

static uv_loop_t *loop;
static uv_signal_t handles[MAXSIG];
static bench_cb cbs[MAXSIG];

static void on_signal(uv_signal_t *h, int signum) {
  (void)h;
  cbs[signum](signum, 0);
}

static int u_init(void) {
  loop = uv_default_loop();
  return loop == NULL ? -1 : 0;
}

static int u_watch(int signum, bench_cb cb) {
  cbs[signum] = cb;
  if (uv_signal_init(loop, &handles[signum]) != 0) return -1;
  return uv_signal_start(&handles[signum], on_signal, signum) == 0 ? 0 : -1;
}

static void u_turn(int block) {
  uv_run(loop, block ? UV_RUN_ONCE : UV_RUN_NOWAIT);
}

static void u_fini(void) {
  int s;
  for (s = 1; s < MAXSIG; s++)
    if (cbs[s] != NULL) uv_close((uv_handle_t *)&handles[s], NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_loop_close(loop);
}

static const struct bench_peer peer = {
    "libuv", 0, 1, u_init, u_watch, u_turn, u_fini, NULL, "uv_run(NOWAIT)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
