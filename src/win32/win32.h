/*
 * win32.h: what the files of the Windows backend share.
 *
 * Two sources of signals meet in the trip here:
 * - the console control handler (console.c) for SIGINT and SIGBREAK, whose
 *   disposition sigport keeps itself, since a console handler chain cannot
 *   be queried;
 * - the C runtime's signal() (actions.c) for SIGABRT, SIGFPE, SIGILL,
 *   SIGSEGV and SIGTERM.
 */
#ifndef SIGPORT_WIN32_H
#define SIGPORT_WIN32_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include "../backend.h"
#include "../internal.h"

/* The code a trip records for a delivery that is not a console event (a C
   runtime signal, or a raise of SIGINT or SIGBREAK). */
#define SP_WIN32_CODE_CRT (-1)

/* The exit code of a process ended by Ctrl+C or Ctrl+Break, as the system's
   default console handler ends it. */
#define SP_WIN32_CONTROL_C_EXIT 0xC000013AUL

/* The code of a SIGALRM from the timer (timers.c). */
#define SP_WIN32_CODE_TIMER (-2)

/* 1 for the signals that sigport delivers itself and whose dispositions
   it keeps (console.c): SIGINT and SIGBREAK, from the console, and
   SIGALRM, from the timer. */
int sp__win32_is_own_signal(int signum);

/* Those signals' dispositions (console.c): SP_DISP_DFL, SP_DISP_IGN or
   SP_DISP_TRIP. */
int sp__win32_own_get(int signum);
void sp__win32_own_set(int signum, int disp);

/* Registers and removes the console control handler (console.c). */
int sp__win32_console_open(void);
void sp__win32_console_close(void);

/* The console control handler. Not static, so that the tests can call it
   from a thread of their own, as the system would for events that cannot
   be generated (CTRL_BREAK under Wine, CTRL_CLOSE, LOGOFF and SHUTDOWN). */
BOOL WINAPI sp__win32_console_handler(DWORD event);

/* Marks the calling thread as raising a signal through sigport_raise(), so
   that the C runtime handler can tell the raise from a hardware fault
   (actions.c). raise_begin returns the slot to give to raise_end. */
int sp__win32_raise_begin(void);
void sp__win32_raise_end(int slot);

/* Where a delivery goes (masks.c): on to its disposition, held pending
   by a mask, or taken by a thread in the sigwait family. */
enum { SP_ROUTE_DELIVER, SP_ROUTE_HELD, SP_ROUTE_TAKEN };
/* Routes a delivery of signum: for the calling thread (a raise) when
   for_thread is 1, else for the process (a console event, the timer).
   One atomic load while no thread has a mask. */
int sp__win32_route(int signum, int for_thread, const struct sp_record *rec);
/* 1 once some thread has a mask (masks.c). */
int sp__win32_masks_on(void);
/* Records the calling thread as the main one (on: sigport_init()), or
   none (shutdown), for the masks (masks.c). */
void sp__win32_masks_main(int on);
/* Delivers signum now under its disposition, with rec as its siginfo:
   the trip, nothing (SIG_IGN), the default action, or the C runtime's
   action that sigport does not hold (actions.c). For a delivery that a
   mask held and let through, and for the timer. */
void sp__win32_deliver(int signum, const struct sp_record *rec);
/* The monotonic clock, in nanoseconds (timers.c). */
int64_t sp__win32_now_ns(void);

/* The pause event (wake.c): made on the first sigport_init() and kept for
   the life of the process (see wake.c for why). */
int sp__win32_wake_open(void);
/* The pause event itself, which the main thread's waits also wait on. */
HANDLE sp__win32_pause_event(void);

/* Starts and stops Winsock (wake.c). */
int sp__win32_winsock_open(void);
void sp__win32_winsock_close(void);

/* The message for a number that is in range but not one of the seven
   signals Windows has (signals.c). */
int sp__win32_fail_not_signal(int signum, const char *fn);

#endif
