/*
 * internal.h: what the platform-free files and the backends share besides
 * the state: error reporting, argument checks and dispatch entry points.
 */
#ifndef SIGPORT_INTERNAL_H
#define SIGPORT_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "atomics.h"
#include "sigport.h"

/* The calls of the paths that make things (opening a watch, adding a
   handler, init, the fork() child), as SQLite's syscall table has them:
   each is made through a wrapper (sp__malloc() and sp__calloc() below,
   sp__sys_*() in the POSIX backend) that asks SP_FAULT() first. A test
   build (SIGPORT_TEST_INTERNALS, the tests' static library) can make the
   Nth call of one of them fail with a given errno (src/test/fault.c); in
   every other build SP_FAULT() is the constant 0 and each wrapper is the
   direct call. */
enum sp_call {
  SP_CALL_MALLOC,
  SP_CALL_CALLOC,
  SP_CALL_EVENTFD,
  SP_CALL_PIPE,
  SP_CALL_FCNTL,
  SP_CALL_SIGACTION,
  SP_CALL_SOCKETPAIR,
  SP_CALL_PIDFD_OPEN,
  SP_CALL_EPOLL_CREATE,
  SP_CALL_EPOLL_CTL,
  SP_CALL_COUNT
};

#if defined(SIGPORT_TEST_INTERNALS)
/* Counts a call of `which`, and returns the errno it must fail with, or
   0 to make it. Async-signal-safe (lock-free atomics only). */
int sp__fault(enum sp_call which);
/* From now on, the nth call of `which` (1 for the next) fails with err,
   once; every count starts again from 0. */
void sp__fault_set(enum sp_call which, int nth, int err);
/* No call fails; every count starts again from 0. */
void sp__fault_clear(void);
/* The calls of `which` made since the last set or clear. */
int sp__fault_calls(enum sp_call which);
/* The call's name: "malloc", "pipe"... */
const char *sp__fault_name(enum sp_call which);
#define SP_FAULT(which) sp__fault(which)
#else
#define SP_FAULT(which) ((void)(which), 0)
#endif

/* The points at which a test build runs a test's own function, to make a
   delivery come at a moment that real signals cannot be made to hit on
   demand:
   SP_POINT_TAKE_RING_EMPTY: in a queue-mode sigport_watch_take(), just
   after it found the ring empty and before it looks at the surplus. */
enum sp_point { SP_POINT_TAKE_RING_EMPTY, SP_POINT_COUNT };

#if defined(SIGPORT_TEST_INTERNALS)
/* Runs the function set for `where`, if any. */
void sp__point(enum sp_point where);
/* From now on, fn (NULL: nothing) runs at `where`. For the thread that
   makes the call: the pointer is plain memory. */
void sp__point_set(enum sp_point where, void (*fn)(void));
#define SP_POINT(where) sp__point(where)
#else
#define SP_POINT(where) ((void)(where))
#endif

/* malloc() and calloc() through the seam. */
static inline void *sp__malloc(size_t n) {
  int err = SP_FAULT(SP_CALL_MALLOC);
  if (err != 0) {
    errno = err;
    return NULL;
  }
  return malloc(n);
}

static inline void *sp__calloc(size_t n, size_t size) {
  int err = SP_FAULT(SP_CALL_CALLOC);
  if (err != 0) {
    errno = err;
    return NULL;
  }
  return calloc(n, size);
}

/* Records a failure for sigport_last_error() and returns code. */
int sp__fail(int code, const char *fmt, ...) SP_PRINTF(2, 3);

/* SIGPORT_EVALUE, with a message naming the number, if `set` has a member
   outside [1; SIGPORT_NSIG - 1]: such a set was not made by the
   sigport_sig*set() calls. 0 otherwise. */
int sp__check_set_members(const sigport_sigset_t *set, const char *fn);
/* The same for SIGPORT_EOS and SIGPORT_EITIMER: records oserr for
   sigport_last_oserror() and appends the system's text for it. */
int sp__fail_os(int code, int oserr, const char *fmt, ...) SP_PRINTF(3, 4);

/* SIGPORT_EVALUE unless 1 <= signum < SIGPORT_NSIG. `fn` names the call. */
int sp__check_range(int signum, const char *fn);
/* SIGPORT_EVALUE unless p is not NULL. */
int sp__check_ptr(const void *p, const char *fn, const char *param);
/* SIGPORT_EVALUE unless initialised and on the main thread. */
int sp__check_main(const char *fn);

/* sp__initialised() is in state.h. */

/* Dispatches if the caller is the main thread of an initialised sigport;
   returns what dispatch returned, or 0. For the calls that dispatch. */
int sp__dispatch_if_main(void);
/* Dispatches the pending deliveries of one signal only (main thread). */
int sp__dispatch_one(int signum);

/* dispatch_all() for the dispatch thread (dispatch.c), under
   sp__backend_dlock(). */
int sp__dispatch_from_thread(void);

/* The dispatch thread (dispatch_thread.c).
   refuse: the SIGPORT_EVALUE of a main-thread dispatch or pause while the
   thread runs, with a message naming `fn`.
   is_self: 1 on the dispatch thread.
   hold and release: around a main-thread change of handlers; hold takes
   the dispatch lock while the thread runs and returns whether it did.
   shutdown: the last sigport_shutdown() stops a thread still running,
   without a last dispatch (shutdown runs no handler), and drops its
   result.
   The fork() hooks (POSIX): before, then after_parent or after_child. */
int sp__dthread_refuse(const char *fn);
int sp__dthread_is_self(void);
int sp__dthread_hold(void);
void sp__dthread_release(int held);
void sp__dthread_shutdown(void);
void sp__dthread_before_fork(void);
void sp__dthread_after_fork_parent(void);
void sp__dthread_after_fork_child(void);

/* Sets a handler (a function, SIG_DFL, SIG_IGN, or SIG_EXTERNAL to give the
   signal back) without the checks and the dispatch of sigport_signal(). */
int sp__set_handler(int signum, sigport_handler_fn fn, void *arg);

/* Holds and releases signum for a watch or an added handler (handlers.c),
   under the lock, after the count of what holds it changed. hold installs
   the trip unless it is installed (a failure made with sp__fail()).
   release, once nothing of sigport's holds the signal, sets what the
   primary handler asks for (SIG_DFL, SIG_IGN) or gives back the saved
   action, but only where the trip is still the installed action: another
   action there is left alone. */
int sp__hold(int signum);
void sp__release(int signum);
/* The same for the child watches (child.c), which hold SIGCHLD
   (signum) for dispatch: hold also makes the trip count its deliveries
   for dispatch. */
int sp__children_hold(int signum);
void sp__children_release(int signum);

/* The added handlers (chain.c), on the main thread. run calls those of
   signum in the order they were added, with the same info, and returns the
   first non-zero result; check reports, once, a chained action that
   changed the disposition; clear drops them all (sigport_shutdown()). */
int sp__added_run(int signum, const sigport_siginfo_t *info);
void sp__added_check_chain(int signum);
void sp__added_clear_all(void);

/* Times (seconds.c), converted as CPython converts them, with the same
   result whatever the floating-point unit. seconds_to_ns: seconds >= 0
   (not NaN) times 1e9, rounded to a double as one multiplication rounds
   it, then up to a whole number of nanoseconds, in *ns; -1 when that is
   2^63 or more (*ns untouched), else 0. seconds_of: sec + usec / 1e6 as
   the double that IEEE double arithmetic gives, two roundings included,
   for a timer's timeval (0 <= usec < 10^6, 0 <= sec < 2^52; outside that
   it is computed in floating point as it stands). */
int sp__seconds_to_ns(double seconds, uint64_t *ns);
double sp__seconds_of(int64_t sec, long usec);

/* The exit status sigport_exit_by_signal() gives a number that is not a
   signal: 128 + signum where that is a status in [1; 255], else 255, so
   that it never ends the process as a success. */
static inline int sp__exit_status_of_invalid(int signum) {
  return signum >= -127 && signum <= 127 ? 128 + signum : 255;
}

#endif /* SIGPORT_INTERNAL_H */
