/*
 * child_raw.c: the floor of the child-reaping workload (child.h): no
 * library and no event loop. The children are started with posix_spawn();
 * the reaper blocks in waitid(P_ALL, WEXITED), which reaps one child a
 * call. The least a process can do to reap, and one that steals every
 * child of the process: what the libraries must not do.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"

static int r_init(void) { return 0; }

static void r_turn(void) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (waitid(P_ALL, 0, &si, WEXITED) != 0) {
    if (errno == EINTR) return;
    child_die("waitid");
  }
  child_ended(child_index(si.si_pid), si.si_code == CLD_EXITED,
              si.si_code == CLD_EXITED ? si.si_status : 0,
              si.si_code == CLD_EXITED ? 0 : si.si_status);
}

static void r_fini(void) {}

static struct child_peer peer = {"raw", r_init, NULL,  NULL,
                                 NULL,  r_turn, r_fini};

int main(int argc, char **argv) { return child_main(&peer, argc, argv); }
