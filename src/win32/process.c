/*
 * process.c: the main thread, init and shutdown of the backend, and ending
 * the process the way a signal would.
 */
#include <stdlib.h>

#include "win32.h"

sigport_thread_t sigport_thread_self(void) { return GetCurrentThreadId(); }

int sigport_thread_equal(sigport_thread_t a, sigport_thread_t b) {
  return a == b ? 1 : 0;
}

/* Everything the console handler may touch is ready before it is
   registered, since it may run as soon as it is. */
int sp__backend_init(unsigned flags) {
  int rc;
  (void)flags; /* SIGPORT_INIT_RESTART has no meaning here */
  rc = sp__win32_winsock_open();
  if (rc != 0) return rc;
  rc = sp__win32_wake_open();
  if (rc == 0) rc = sp__win32_console_open();
  if (rc != 0) {
    sp__win32_winsock_close();
    return rc;
  }
  sp__win32_masks_main(1);
  return 0;
}

void sp__backend_shutdown(void) {
  sp__win32_masks_main(0);
  sp__win32_console_close();
  sp__win32_winsock_close();
}

void sigport_exit_by_signal(int signum) {
  /* What the defaults do: the system's console handler ends the process
     with STATUS_CONTROL_C_EXIT, and the C runtime's default action for the
     other signals with 3. _exit() runs no atexit handler. */
  if (!sp__backend_is_valid(signum))
    _exit(sp__exit_status_of_invalid(signum));
  if (signum == SIGPORT_SIGINT || signum == SIGPORT_SIGBREAK)
    _exit((int)SP_WIN32_CONTROL_C_EXIT);
  _exit(3);
}

void sigport_exit_with_status(int wait_status) { exit(wait_status); }
