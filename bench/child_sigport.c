/*
 * child_sigport.c: sigport's child watches as the reaper of the
 * child-reaping workload (child.h). The children are started with
 * posix_spawn() (sigport has no spawn call), then watched with
 * sigport_watch_child(); the loop poll()s sigport_child_fd() and calls
 * sigport_dispatch(), which runs the callbacks.
 *
 * The same program is both arms: with SIGPORT_CHILD_FALLBACK=1 in the
 * environment, sigport_init() chooses the fallback (waitpid for each
 * watched child at each SIGCHLD), and the arm is named sigport-fallback.
 * The check counts the pidfds open after the first wave's watches, so
 * that the report says which path ran.
 */
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "sigport.h"

static struct pollfd pfd;
static char name[32] = "sigport";

static int on_child(const sigport_child_status_t *st, void *arg) {
  child_ended((int)(intptr_t)arg, st->exited, st->code, st->signo);
  return 0;
}

static int s_init(void) {
  const char *v = getenv("SIGPORT_CHILD_FALLBACK");
  if (v != NULL && strcmp(v, "1") == 0)
    snprintf(name, sizeof name, "sigport-fallback");
  if (sigport_init(0) != 0) {
    fprintf(stderr, "child: sigport_init: %s\n", sigport_last_error());
    return -1;
  }
  pfd.fd = (int)sigport_child_fd();
  pfd.events = POLLIN;
  if (pfd.fd < 0) {
    fprintf(stderr, "child: sigport_child_fd: %s\n", sigport_last_error());
    return -1;
  }
  return 0;
}

static int s_watch(int i, pid_t pid) {
  if (sigport_watch_child(pid, on_child, (void *)(intptr_t)i) != 0) {
    fprintf(stderr, "child: sigport_watch_child: %s\n", sigport_last_error());
    return -1;
  }
  return 0;
}

/* The fds of this process that are pidfds. */
static void s_check(int n) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  long pidfds = 0;
  char row[64];
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    char path[300], link[64];
    ssize_t len;
    snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
    len = readlink(path, link, sizeof link - 1);
    if (len <= 0) continue;
    link[len] = '\0';
    if (strcmp(link, "anon_inode:[pidfd]") == 0) pidfds++;
  }
  closedir(d);
  snprintf(row, sizeof row, "pidfds for %d children", n);
  bench_row("childcheck", name, row, (double)pidfds, "");
}

static void s_turn(void) {
  int rc;
  (void)poll(&pfd, 1, -1); /* EINTR too: a SIGCHLD came */
  rc = sigport_dispatch();
  if (rc != 0) {
    fprintf(stderr, "child: sigport_dispatch: %d %s\n", rc,
            sigport_last_error());
    exit(2);
  }
}

static void s_fini(void) { sigport_shutdown(); }

static struct child_peer peer = {name,    s_init, NULL,  s_watch,
                                 s_check, s_turn, s_fini};

int main(int argc, char **argv) { return child_main(&peer, argc, argv); }
