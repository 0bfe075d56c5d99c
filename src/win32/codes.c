/*
 * codes.c (Windows): the names of siginfo codes (sigport_codename()). A
 * delivery's code is the console event that made it, or 0 for a raised
 * signal, for which the name is CTRL_C_EVENT only where the signal came
 * from the console; the table names the events.
 */
#include <stddef.h>

#include "win32.h"

const char *sp__backend_codename(int signo, int code) {
  static const char *const events[] = {"CTRL_C_EVENT", "CTRL_BREAK_EVENT",
                                       "CTRL_CLOSE_EVENT", NULL, NULL,
                                       "CTRL_LOGOFF_EVENT",
                                       "CTRL_SHUTDOWN_EVENT"};
  (void)signo;
  if (code >= 0 && code <= 6) return events[code];
  return NULL;
}
