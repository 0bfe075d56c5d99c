/*
 * signals.c: the Windows signal table (names, descriptions, default
 * actions) and the restricted set of signals sigport accepts there.
 *
 * The C runtime knows seven signals; sigport adds SIGALRM, which it
 * delivers itself from its timer (timers.c). sigport decides by itself which
 * numbers are valid, before any C runtime call, so that the runtime's
 * process-wide invalid-parameter handler is never involved.
 */
#include <signal.h>

#include "win32.h"

/* sigport.h writes the numbers out; they must be the C runtime's. */
_Static_assert(SIGPORT_SIGINT == SIGINT, "SIGINT differs");
_Static_assert(SIGPORT_SIGILL == SIGILL, "SIGILL differs");
_Static_assert(SIGPORT_SIGFPE == SIGFPE, "SIGFPE differs");
_Static_assert(SIGPORT_SIGSEGV == SIGSEGV, "SIGSEGV differs");
_Static_assert(SIGPORT_SIGTERM == SIGTERM, "SIGTERM differs");
_Static_assert(SIGPORT_SIGBREAK == SIGBREAK, "SIGBREAK differs");
_Static_assert(SIGPORT_SIGABRT == SIGABRT, "SIGABRT differs");
_Static_assert(SIGPORT_CTRL_C_EVENT != 0 && SIGPORT_CTRL_C_EVENT != 1,
               "CTRL_C_EVENT must not be 0 or 1");

#define T SIGPORT_ACTION_TERMINATE
#define C SIGPORT_ACTION_CORE

/* The signals first (the C runtime's seven, and SIGALRM, which sigport
   delivers itself), then the console events, which are sent with
   sigport_kill() and never caught. */
static const struct sp_signal_desc table[] = {
    {SIGPORT_SIGINT, "SIGINT", "Interrupt", T, 1},
    {SIGPORT_SIGILL, "SIGILL", "Illegal instruction", C, 1},
    {SIGPORT_SIGFPE, "SIGFPE", "Floating point exception", C, 1},
    {SIGPORT_SIGSEGV, "SIGSEGV", "Segmentation fault", C, 1},
    {SIGPORT_SIGALRM, "SIGALRM", "Alarm clock", T, 1},
    {SIGPORT_SIGTERM, "SIGTERM", "Terminated", T, 1},
    {SIGPORT_SIGBREAK, "SIGBREAK", "Break", T, 1},
    {SIGPORT_SIGABRT, "SIGABRT", "Aborted", C, 1},
    {SIGPORT_CTRL_C_EVENT, "CTRL_C_EVENT", "Ctrl+C console event", T, 0},
    {SIGPORT_CTRL_BREAK_EVENT, "CTRL_BREAK_EVENT", "Ctrl+Break console event",
     T, 0},
};

const struct sp_signal_desc *sp__backend_signals(size_t *n) {
  *n = sizeof table / sizeof table[0];
  return table;
}

int sp__backend_rtmin(void) {
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "sigport_sigrtmin() is not available on Windows: it has no "
                  "real-time signals");
}

int sp__backend_rtmax(void) {
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "sigport_sigrtmax() is not available on Windows: it has no "
                  "real-time signals");
}

int sp__backend_is_valid(int signum) {
  switch (signum) {
    case SIGPORT_SIGINT:
    case SIGPORT_SIGILL:
    case SIGPORT_SIGFPE:
    case SIGPORT_SIGSEGV:
    case SIGPORT_SIGALRM:
    case SIGPORT_SIGTERM:
    case SIGPORT_SIGBREAK:
    case SIGPORT_SIGABRT:
      return 1;
    default:
      return 0;
  }
}

int sp__win32_fail_not_signal(int signum, const char *fn) {
  return sp__fail(SIGPORT_EVALUE,
                  "%s: signal number %d is not a signal on Windows (valid: "
                  "SIGINT 2, SIGILL 4, SIGFPE 8, SIGSEGV 11, SIGALRM 14, "
                  "SIGTERM 15, SIGBREAK 21, SIGABRT 22)",
                  fn, signum);
}

int sp__backend_check_settable(int signum, const char *fn) {
  return sp__backend_is_valid(signum) ? 0
                                      : sp__win32_fail_not_signal(signum, fn);
}

int sp__backend_check_gettable(int signum, const char *fn) {
  return sp__backend_check_settable(signum, fn);
}

const int *sp__backend_default_ignored(void) {
  /* Windows has neither SIGPIPE nor SIGXFSZ. */
  static const int ignored[] = {0};
  return ignored;
}

const char *sp__backend_name(void) { return "win32"; }
