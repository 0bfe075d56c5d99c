/*
 * peer_glib.c: GLib's g_unix_signal_add() on the default main context.
 * GLib accepts only SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2 and SIGWINCH.
 */
#include <glib-unix.h>
#include <glib.h>

#include "bench.h"

#define MAXSIG 65

static bench_cb cbs[MAXSIG];
static guint ids[MAXSIG];

static gboolean on_signal(gpointer data) {
  int signum = GPOINTER_TO_INT(data);
  cbs[signum](signum, 0);
  return G_SOURCE_CONTINUE;
}

static int g_init(void) { return 0; }

static int g_watch(int signum, bench_cb cb) {
  if (signum != SIGHUP && signum != SIGINT && signum != SIGTERM &&
      signum != SIGUSR1 && signum != SIGUSR2 && signum != SIGWINCH)
    return -1;
  cbs[signum] = cb;
  ids[signum] = g_unix_signal_add(signum, on_signal, GINT_TO_POINTER(signum));
  return ids[signum] == 0 ? -1 : 0;
}

static void g_turn(int block) { g_main_context_iteration(NULL, block); }

static void g_fini(void) {
  int s;
  for (s = 1; s < MAXSIG; s++)
    if (ids[s] != 0) g_source_remove(ids[s]);
}

static const struct bench_peer peer = {
    "glib", 0, 1, g_init, g_watch, g_turn, g_fini, NULL,
    "g_main_context_iteration(FALSE)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
