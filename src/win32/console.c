/*
 * console.c: SIGINT and SIGBREAK, which come only from the console control
 * handler, never from the C runtime's signal(): the runtime would register
 * a console handler of its own, and the order of the two would decide
 * whether a Ctrl+C counts twice or not at all.
 *
 * - CTRL_C_EVENT trips SIGINT; CTRL_BREAK_EVENT trips SIGBREAK.
 * - CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT trip
 *   SIGBREAK, as the C runtime maps them, with the event as info->code.
 * - The handler reports the event handled when a sigport handler or
 *   SIG_IGN is set, and lets the next handler (in the end the system's
 *   default, which ends the process) run for SIG_DFL.
 * - For CLOSE, LOGOFF and SHUTDOWN the system ends the process as soon as
 *   the handler returns, so with a sigport handler set the console thread
 *   waits for the next dispatch to finish, within the time the system
 *   allows (5 s for CLOSE), before it returns.
 *
 * A chain of console handlers cannot be read, so the disposition of these
 * two is sigport's own record: SIG_DFL until sigport sets something, and
 * what was there first is always that SIG_DFL. A handler that the program
 * installed with the runtime's signal() before sigport still runs for
 * SIG_DFL (the event is passed on to it), but getsignal() cannot see it.
 */
#include "win32.h"
#include "../trip.h"

/* How long a console thread waits for the dispatch of CLOSE, LOGOFF or
   SHUTDOWN: under the system's 5 s for CLOSE, with room to return. */
#define SP_CONSOLE_WAIT_MS 4500
/* How often it looks at the dispatch counter meanwhile. */
#define SP_CONSOLE_POLL_MS 5

/* The dispositions of the signals that sigport delivers itself, SIGINT
   and SIGBREAK from the console and SIGALRM from the timer (timers.c),
   as enum sp_disp. sigport keeps them: zero-initialised, that is
   SP_DISP_DFL. */
static sp_atomic_int own_disp[SIGPORT_NSIG];
/* Console handler calls running now, so that shutdown can wait for them. */
static sp_atomic_int console_active;
static int registered;

int sp__win32_is_own_signal(int signum) {
  return signum == SIGPORT_SIGINT || signum == SIGPORT_SIGBREAK ||
         signum == SIGPORT_SIGALRM;
}

int sp__win32_own_get(int signum) {
  return atomic_load_explicit(&own_disp[signum], SP_ACQUIRE);
}

void sp__win32_own_set(int signum, int disp) {
  atomic_store_explicit(&own_disp[signum], disp, SP_RELEASE);
}

/* Waits until a dispatch has finished since `before` was read (just before
   the trip), sigport shuts down, or the time is up. A dispatch that
   finished while the delivery was still untaken had passed it by, so the
   wait goes on for the next one. */
static void wait_for_dispatch(int signum, unsigned before) {
  DWORD start = GetTickCount();
  while (atomic_load_explicit(&sp__state.init_count, SP_ACQUIRE) > 0 &&
         GetTickCount() - start < SP_CONSOLE_WAIT_MS) {
    unsigned now = atomic_load_explicit(&sp__state.dispatches, SP_ACQUIRE);
    if (now != before) {
      if (atomic_load_explicit(&sp__state.sig[signum].count, SP_ACQUIRE) == 0)
        return;
      before = now;
    }
    Sleep(SP_CONSOLE_POLL_MS);
  }
}

BOOL WINAPI sp__win32_console_handler(DWORD event) {
  /* All zero but the code, the event: value and value_int are 0. */
  struct sp_record rec = {0};
  int signum, disp, ends_process = 0;
  unsigned before;
  BOOL handled = FALSE;
  switch (event) {
    case CTRL_C_EVENT:
      signum = SIGPORT_SIGINT;
      break;
    case CTRL_BREAK_EVENT:
      signum = SIGPORT_SIGBREAK;
      break;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      signum = SIGPORT_SIGBREAK;
      ends_process = 1;
      break;
    default:
      return FALSE;
  }
  atomic_fetch_add_explicit(&console_active, 1, SP_SEQ_CST);
  rec.code = (int)event;
  /* Taken by a thread that waits for it, or held by the masks (masks.c):
     handled, whatever the disposition. */
  if (sp__win32_route(signum, 0, &rec) != SP_ROUTE_DELIVER) {
    atomic_fetch_sub_explicit(&console_active, 1, SP_SEQ_CST);
    return TRUE;
  }
  disp = sp__win32_own_get(signum);
  if (disp == SP_DISP_IGN) {
    handled = TRUE;
  } else if (disp == SP_DISP_TRIP) {
    /* Read before the trip: any dispatch that finishes after it has taken
       this delivery or started after it. */
    before = atomic_load_explicit(&sp__state.dispatches, SP_ACQUIRE);
    /* Not recorded when sigport_shutdown() has given the event back: the
       next handler in the chain takes it. */
    if (sp__trip(signum, &rec) == 0) {
      /* A signal that only watches hold has no dispatch to wait for. */
      if (ends_process &&
          (atomic_load_explicit(&sp__state.watches, SP_ACQUIRE) == NULL ||
           atomic_load_explicit(&sp__state.sig[signum].dispatched,
                                SP_RELAXED)))
        wait_for_dispatch(signum, before);
      handled = TRUE;
    }
  }
  atomic_fetch_sub_explicit(&console_active, 1, SP_SEQ_CST);
  return handled;
}

int sp__win32_console_open(void) {
  if (!SetConsoleCtrlHandler(sp__win32_console_handler, TRUE))
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "sigport_init: SetConsoleCtrlHandler");
  registered = 1;
  return 0;
}

void sp__win32_console_close(void) {
  unsigned spins = 0;
  if (registered) {
    (void)SetConsoleCtrlHandler(sp__win32_console_handler, FALSE);
    registered = 0;
  }
  /* A console thread that came in before the removal may still be
     running; its wait ends once init_count is 0. */
  while (atomic_load_explicit(&console_active, SP_SEQ_CST) != 0) {
    if (++spins % 64 == 0) Sleep(1);
  }
}
