/*
 * peer_libevent.c: libevent's evsignal on an event_base.
 */
#include <event2/event.h>

#include "bench.h"

#define MAXSIG 65

static struct event_base *base;
static struct event *events[MAXSIG];
static bench_cb cbs[MAXSIG];

static void on_signal(evutil_socket_t signum, short what, void *arg) {
  (void)what;
  (void)arg;
  cbs[signum]((int)signum, 0);
}

static int e_init(void) {
  base = event_base_new();
  return base == NULL ? -1 : 0;
}

static int e_watch(int signum, bench_cb cb) {
  cbs[signum] = cb;
  events[signum] = evsignal_new(base, signum, on_signal, NULL);
  if (events[signum] == NULL) return -1;
  return event_add(events[signum], NULL) == 0 ? 0 : -1;
}

static void e_turn(int block) {
  event_base_loop(base, block ? EVLOOP_ONCE : EVLOOP_NONBLOCK);
}

static void e_fini(void) {
  int s;
  for (s = 1; s < MAXSIG; s++)
    if (events[s] != NULL) event_free(events[s]);
  event_base_free(base);
}

static const struct bench_peer peer = {
    "libevent", 0, 1, e_init, e_watch, e_turn, e_fini, NULL,
    "event_base_loop(NONBLOCK)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
