/*
 * child_libuv.c: libuv as the reaper of the child-reaping workload
 * (child.h). Each child is started with uv_spawn(), whose exit_cb reports
 * it and closes its handle; the loop is uv_run(UV_RUN_ONCE).
 *
 * uv_spawn() starts and registers at once, so this arm has no watch call.
 * libuv 1.44 (Debian 12) starts a child with fork() (then, in the child,
 * sets every signal's disposition back to the default, and execs); the
 * call returns once the exec has happened. Its stdio is the parent's
 * (UV_INHERIT_FD), as with posix_spawn(); the stamps file and the gate
 * are inherited as the other arms' children inherit them. libuv hears of
 * an end from SIGCHLD through its signal pipe, then calls
 * waitpid(WNOHANG) for each of its live process handles.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "child.h"

static uv_loop_t *loop;
static uv_stdio_container_t stdio[3];

/* Each child's handle is allocated at its start and freed once closed. */
static void on_close(uv_handle_t *h) { free(h); }

static void on_exit_cb(uv_process_t *p, int64_t exit_status, int term_signal) {
  child_ended((int)(intptr_t)p->data, term_signal == 0, (int)exit_status,
              term_signal);
  uv_close((uv_handle_t *)p, on_close);
}

static int u_init(void) {
  int i;
  loop = uv_default_loop();
  if (loop == NULL) return -1;
  for (i = 0; i < 3; i++) {
    stdio[i].flags = UV_INHERIT_FD;
    stdio[i].data.fd = i;
  }
  return 0;
}

static int u_start(int i, char *const argv[], pid_t *pid) {
  uv_process_options_t o = {0};
  uv_process_t *p = calloc(1, sizeof *p);
  int rc;
  if (p == NULL) return -1;
  o.exit_cb = on_exit_cb;
  o.file = argv[0];
  o.args = (char **)argv;
  o.stdio = stdio;
  o.stdio_count = 3;
  p->data = (void *)(intptr_t)i;
  rc = uv_spawn(loop, p, &o);
  if (rc != 0) {
    fprintf(stderr, "child: uv_spawn: %s\n", uv_strerror(rc));
    return -1;
  }
  *pid = p->pid;
  return 0;
}

static void u_turn(void) { uv_run(loop, UV_RUN_ONCE); }

static void u_fini(void) {
  uv_run(loop, UV_RUN_NOWAIT);
  uv_loop_close(loop);
}

static struct child_peer peer = {"libuv", u_init, u_start, NULL,
                                 NULL,    u_turn, u_fini};

int main(int argc, char **argv) { return child_main(&peer, argc, argv); }
