/*
 * backend.h: the seam. Each of src/posix/ and src/win32/ implements every
 * function declared here; the platform-free files call nothing else of a
 * backend. The public functions that exist only for one family of systems
 * (timers, masks, waits, sending) are defined by the backends directly,
 * since their whole body is platform code.
 */
#ifndef SIGPORT_BACKEND_H
#define SIGPORT_BACKEND_H

#include <stddef.h>

#include "state.h"

/* "posix" or "win32". */
const char *sp__backend_name(void);

/* Lifecycle. init runs on the first sigport_init(): it makes the pause wake
   object, registers fork handlers (once per process), and on Windows starts
   Winsock and the console handler. shutdown undoes it, on the last
   sigport_shutdown(). Both are called on the main thread. */
int sp__backend_init(unsigned flags);
void sp__backend_shutdown(void);

/* Gives up the processor while waiting for another thread. */
void sp__backend_yield(void);

/* Signals. */
int sp__backend_is_valid(int signum);     /* in sigport_valid_signals() */
/* 0 if sigport may set a disposition for signum (already in range), else
   a failure made with sp__fail(): SIGPORT_EOS/EINVAL for the uncatchable,
   SIGPORT_EVALUE for what the platform does not allow. */
int sp__backend_check_settable(int signum, const char *fn);
/* 0 if sigport_getsignal() may report signum, else a failure. */
int sp__backend_check_gettable(int signum, const char *fn);
/* The signals SIGPORT_INIT_DEFAULTS ignores (SIGPIPE, SIGXFSZ), ending with
   0. */
const int *sp__backend_default_ignored(void);

/* Dispositions. set saves the original the first time sigport touches a
   signal, then sets SP_DISP_DFL, SP_DISP_IGN or SP_DISP_TRIP. get reads
   what the system has now. restore puts the saved original back and
   forgets it; forget only forgets it. */
int sp__backend_set_disposition(int signum, int disp);
int sp__backend_get_disposition(int signum);
int sp__backend_restore_original(int signum);
void sp__backend_forget_original(int signum);

/* What the disposition saved when sigport first took signum was:
   SP_DISP_DFL, SP_DISP_IGN or SP_DISP_FOREIGN; SP_DISP_NONE when none is
   saved. */
int sp__backend_saved_disposition(int signum);

/* 0 if the trip can call the saved action (SIGPORT_ADD_CHAIN), else a
   failure made with sp__fail(): SIGPORT_ENOTAVAIL where it cannot. */
int sp__backend_check_chain(const char *fn);

/* The system's error number for "out of memory" (ENOMEM,
   ERROR_NOT_ENOUGH_MEMORY), for sp__fail_os(). */
int sp__backend_enomem(void);

/* The lock that serialises changes of dispositions, of the watch list and
   of the counts of what holds a signal, between the threads that may make
   them (the main thread, and any thread that opens or closes a watch).
   Never taken in the trip, and never held while a handler runs. POSIX
   takes it across fork(). */
void sp__backend_lock(void);
void sp__backend_unlock(void);

/* A watch's doorbell (watch.c): an fd that the trip makes readable.
   open makes one, non-blocking and close-on-exec (*rd and *wr may be the
   same fd), or returns a failure naming `fn`; ring makes it readable, from
   the trip (async-signal-safe, errno left to the caller); drain empties
   it; close closes it. */
int sp__backend_bell_open(sigport_socket_t *rd, sigport_socket_t *wr,
                          const char *fn);
void sp__backend_bell_ring(sigport_socket_t wr);
void sp__backend_bell_drain(sigport_socket_t rd);
void sp__backend_bell_close(sigport_socket_t rd, sigport_socket_t wr);

/* Raises signum in the calling thread, without dispatching (used by
   sigport_shutdown() for deliveries it could not dispatch). */
void sp__backend_raise_raw(int signum);

/* The wakeup fd: 0 if fd may be a wakeup fd, else a failure. */
int sp__backend_check_wakeup_fd(sigport_socket_t fd);
/* Writes one byte to fd from the trip: 0, or the error number. Sets
   *full when the failure was a full buffer. Async-signal-safe. */
int sp__backend_wakeup_write(sigport_socket_t fd, int signum, int *full);
/* The text of an error number from the system (errno or GetLastError()). */
void sp__backend_error_text(int err, char *buf, size_t size);

/* sigport_pause()'s wake object. wake is called by the trip when pause is
   asleep (async-signal-safe); wait sleeps until woken or interrupted, and
   empties the object. wait returns 0 or a failure. */
void sp__backend_pause_wake(void);
int sp__backend_pause_wait(void);

/* The dispatch thread (dispatch_thread.c, SPEC 6.4). thread_start starts
   the one thread that runs run(), with every asynchronous signal blocked
   in it from its first instruction (POSIX; Windows has no masks to set),
   or returns a failure naming `fn` with no thread made. thread_join waits
   for it to end and forgets it. thread_forget, in a fork() child, forgets
   it without waiting: the child has no such thread. Main thread.
   dlock and dunlock: the lock that the thread holds while it dispatches,
   and that the main thread holds while it changes handlers, so that the
   thread never meets a handler half changed. Taken before
   sp__backend_lock() whenever both are held, never in the trip, and
   never held while waiting for the thread. */
int sp__backend_thread_start(void (*run)(void), const char *fn);
void sp__backend_thread_join(void);
void sp__backend_thread_forget(void);
void sp__backend_dlock(void);
void sp__backend_dunlock(void);

/* Signal tables for names and descriptions. */
struct sp_signal_desc {
  int signum;
  const char *name;        /* "SIGINT" */
  const char *description; /* "Interrupt"; NULL if none */
  int action;              /* SIGPORT_ACTION_* */
  int catchable;
};
/* The platform's named signals (real-time signals aside), with n set to
   their number; on Windows the CTRL events too. */
const struct sp_signal_desc *sp__backend_signals(size_t *n);
/* The name of a siginfo code that a delivery of signo carried (signo 0:
   the codes any signal may carry), or NULL (sigport_codename()). */
const char *sp__backend_codename(int signo, int code);

/* SIGRTMIN and SIGRTMAX, or SIGPORT_ENOTAVAIL. */
int sp__backend_rtmin(void);
int sp__backend_rtmax(void);

#endif /* SIGPORT_BACKEND_H */
