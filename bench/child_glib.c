/*
 * child_glib.c: GLib's child watches as the reaper of the child-reaping
 * workload (child.h). The children are started with posix_spawn(), as in
 * the sigport arm (not g_spawn_async(), which would add its own work to
 * the start: it closes every inherited fd in the child and reports exec
 * failures through a pipe), then watched with g_child_watch_add() on the
 * default main context; the loop is g_main_context_iteration(NULL, TRUE).
 *
 * GLib 2.74 (Debian 12) hears of an end from SIGCHLD: its handler wakes
 * GLib's worker thread, which calls waitpid(WNOHANG) for each child
 * watch not yet ended and wakes the context of those that have; the
 * callback then runs on the thread that iterates it (here the main one).
 * The worker thread's CPU time is the process's, and counted.
 */
#include <glib.h>
#include <stdint.h>
#include <sys/wait.h>

#include "child.h"

static void on_child(GPid pid, gint status, gpointer data) {
  (void)pid;
  child_ended(GPOINTER_TO_INT(data), WIFEXITED(status),
              WIFEXITED(status) ? WEXITSTATUS(status) : 0,
              WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int g_init(void) { return 0; }

static int g_watch(int i, pid_t pid) {
  return g_child_watch_add(pid, on_child, GINT_TO_POINTER(i)) != 0 ? 0 : -1;
}

static void g_turn(void) { g_main_context_iteration(NULL, TRUE); }

static void g_fini(void) {}

static struct child_peer peer = {"glib", g_init, NULL,  g_watch,
                                 NULL,   g_turn, g_fini};

int main(int argc, char **argv) { return child_main(&peer, argc, argv); }
