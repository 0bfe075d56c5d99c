/*
 * fanout_glib.c: GLib's g_unix_signal_add() as the consumers of the
 * fan-out workload (fanout.h): N sources on the default main context, one
 * g_main_context_iteration() a turn. No threads mode.
 * GLib's handler sets a flag per signal and wakes GLib's worker thread,
 * which marks every source of that signal ready and wakes its context:
 * each source is called once however many deliveries came since its last
 * call.
 */
#include <glib-unix.h>
#include <glib.h>
#include <stdint.h>

#include "fanout.h"

static guint ids[FAN_MAX];
static int nsources;

static gboolean on_signal(gpointer data) {
  fan_seen((int)(intptr_t)data, 1);
  return G_SOURCE_CONTINUE;
}

static int g_init(void) { return 0; }

static int g_open_all(int signum, int n) {
  int i;
  for (i = 0; i < n; i++) {
    ids[i] = g_unix_signal_add(signum, on_signal, (gpointer)(intptr_t)i);
    if (ids[i] == 0) return -1;
  }
  nsources = n;
  return 0;
}

static gboolean on_timeout(gpointer data) {
  *(int *)data = 1;
  return G_SOURCE_REMOVE;
}

static void g_turn(int timeout_ms) {
  if (timeout_ms < 0) {
    g_main_context_iteration(NULL, TRUE);
  } else {
    int fired = 0;
    guint t = g_timeout_add((guint)timeout_ms, on_timeout, &fired);
    g_main_context_iteration(NULL, TRUE);
    if (!fired) g_source_remove(t);
  }
}

static void g_close_all(void) {
  int i;
  for (i = 0; i < nsources; i++) g_source_remove(ids[i]);
}

static void g_fini(void) {}

static const struct fan_peer peer = {"glib", g_init,      g_open_all, NULL,
                                     g_turn, g_close_all, NULL,       g_fini};

int main(int argc, char **argv) { return fan_main(&peer, argc, argv); }
