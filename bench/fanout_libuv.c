/*
 * fanout_libuv.c: libuv's uv_signal_t as the consumers of the fan-out
 * workload (fanout.h).
 *   one      N uv_signal_t on the default loop, one uv_run(UV_RUN_ONCE) a
 *            turn.
 *   threads  N threads, each with a loop of its own and one uv_signal_t
 *            on it, in uv_run(UV_RUN_DEFAULT).
 * libuv's handler writes one message a handle into its loop's pipe (64 KiB
 * here, 16 bytes a message), and drops what does not fit.
 */
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "fanout.h"

static uv_loop_t *loop;
static uv_signal_t handles[FAN_MAX];
static int nhandles;

static void on_signal(uv_signal_t *h, int signum) {
  (void)signum;
  fan_seen((int)(intptr_t)h->data, 1);
}

static int u_init(void) {
  loop = uv_default_loop();
  return loop == NULL ? -1 : 0;
}

static int u_open_all(int signum, int n) {
  int i;
  for (i = 0; i < n; i++) {
    handles[i].data = (void *)(intptr_t)i;
    if (uv_signal_init(loop, &handles[i]) != 0 ||
        uv_signal_start(&handles[i], on_signal, signum) != 0)
      return -1;
  }
  nhandles = n;
  return 0;
}

static void u_turn(int timeout_ms) {
  if (timeout_ms < 0) {
    uv_run(loop, UV_RUN_ONCE);
  } else {
    struct timespec ts = {0, timeout_ms * 1000000L};
    uv_run(loop, UV_RUN_NOWAIT);
    nanosleep(&ts, NULL);
  }
}

static void u_close_all(void) {
  int i;
  for (i = 0; i < nhandles; i++) uv_close((uv_handle_t *)&handles[i], NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_loop_close(loop);
}

static void on_signal_thread(uv_signal_t *h, int signum) {
  (void)signum;
  fan_seen((int)(intptr_t)h->data, 1);
  if (fan_stopping()) uv_close((uv_handle_t *)h, NULL);
}

static void u_thread_main(int i, int signum) {
  uv_loop_t l;
  uv_signal_t h;
  if (uv_loop_init(&l) != 0) fan_die("uv_loop_init");
  h.data = (void *)(intptr_t)i;
  if (uv_signal_init(&l, &h) != 0 ||
      uv_signal_start(&h, on_signal_thread, signum) != 0)
    fan_die("uv_signal_start");
  fan_ready();
  uv_run(&l, UV_RUN_DEFAULT);
  uv_loop_close(&l);
}

static void u_fini(void) {}

static const struct fan_peer peer = {"libuv",       u_init, u_open_all,
                                     NULL,          u_turn, u_close_all,
                                     u_thread_main, u_fini};

int main(int argc, char **argv) { return fan_main(&peer, argc, argv); }
