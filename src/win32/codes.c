/*
 * codes.c (Windows): the names of siginfo codes (sigport_codename()). A
 * delivery's code is the console event that made it, -1 for a raised
 * signal (no name), or -2 for a SIGALRM from the timer (SI_TIMER).
 */
#include <stddef.h>

#include "win32.h"

const char *sp__backend_codename(int signo, int code) {
  static const char *const events[] = {"CTRL_C_EVENT", "CTRL_BREAK_EVENT",
                                       "CTRL_CLOSE_EVENT", NULL, NULL,
                                       "CTRL_LOGOFF_EVENT",
                                       "CTRL_SHUTDOWN_EVENT"};
  if (code == SP_WIN32_CODE_TIMER)
    return signo == 0 || signo == SIGPORT_SIGALRM ? "SI_TIMER" : NULL;
  if (code >= 0 && code <= 6) return events[code];
  return NULL;
}
