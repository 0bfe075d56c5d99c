/*
 * child.c (Windows): child watches. Not written yet: every watch is
 * refused with SIGPORT_ENOTAVAIL.
 */
#include "win32.h"
#include "../child.h"

int sp__backend_child_start(const char *fn) {
  return sp__fail(SIGPORT_ENOTAVAIL, "%s: not available on Windows yet", fn);
}
void sp__backend_child_stop(void) {}
int sp__backend_child_open(struct sp_child *c, const char *fn) {
  (void)c;
  return sp__fail(SIGPORT_ENOTAVAIL, "%s: not available on Windows yet", fn);
}
void sp__backend_child_close(struct sp_child *c) { (void)c; }
void sp__backend_child_harvest(void) {}
sigport_socket_t sp__backend_child_fd(void) { return SIGPORT_NO_SOCKET; }
void sp__backend_child_after_fork(void) {}
