/*
 * child.h: child watches (SPEC 6.3), as child.c and the backends share
 * them. child.c keeps the table of watched children (a hash index by
 * pid), the queue of children reaped and not yet reported, and
 * the reports at dispatch; a backend knows how to hear of an end and how
 * to reap (pidfd and epoll, waitpid, or a process handle).
 *
 * Everything here runs under the lock (sp__backend_lock()), outside signal
 * context, except where said otherwise.
 */
#ifndef SIGPORT_CHILD_H
#define SIGPORT_CHILD_H

#include "state.h"

enum sp_child_state {
  SP_CHILD_FREE = 0, /* on the free list */
  SP_CHILD_WATCHED,  /* in the index, not reaped */
  SP_CHILD_ENDED     /* reaped: on the ready queue, awaiting its report */
};

/* One child watch, or one child that the SIGPORT_CHILD_ANY watch reaped.
   Allocated one by one: its address stays put while it lives, for epoll
   or a wait callback. */
struct sp_child {
  sigport_pid_t pid;
  sigport_child_fn fn;
  void *arg;
  int state;  /* enum sp_child_state */
  int is_any; /* reaped by SIGPORT_CHILD_ANY: no watch of its own */
  /* SP_CHILD_WATCHED: the list of watched entries; SP_CHILD_ENDED: the
     ready queue (next only). */
  struct sp_child *prev, *next;
  /* The backend's: a pidfd (POSIX, -1 without one), or the process
     HANDLE and its wait handle (Windows). -1 when none. */
  intptr_t handle, wait;
  /* Windows: set by the wait callback when the process ended (a pool
     thread; the only field not under the lock). */
  sp_atomic_int fired;
  sigport_child_status_t st; /* SP_CHILD_ENDED */
};

/* The entry of a watched (not reaped) pid, or NULL. */
struct sp_child *sp__child_find(sigport_pid_t pid);
/* The watched entries, for a backend that must look at each (the
   waitpid fallback, Windows): the first, then the one after c; NULL at
   the end. Take the next before reaping c. */
struct sp_child *sp__child_first(void);
struct sp_child *sp__child_next(const struct sp_child *c);
/* Whether SIGPORT_CHILD_ANY is watched. */
int sp__child_any_watched(void);
/* A watched entry was reaped (or found lost) with status *st: it leaves
   the index, its backend handle is closed, and it joins the ready
   queue. */
void sp__child_reaped(struct sp_child *c, const sigport_child_status_t *st);
/* SIGPORT_CHILD_ANY reaped pid, which no watch names: 0 when a report is
   queued, -1 when memory ran out (then the backend must not reap it, and
   tries again at the next dispatch). sp__child_any_reserve() first makes
   sure the next call cannot fail. */
int sp__child_any_reserve(void);
void sp__child_any_reaped(const sigport_child_status_t *st);

/* The backend's part. `fn` names the public call in a failure's
   message.
   start: makes what the backend needs before the first watch (the fd,
   SIGCHLD's raw handler): 0 or a failure. Called once, until stop.
   stop: undoes it, closing every handle still open (the last
   sigport_shutdown(), after the entries were dropped).
   open: checks that c->pid is a child of this process, and opens what
   tells of its end (a pidfd, a process handle). If the child has ended
   already, it is left for the next harvest, which reports it; open makes
   sure that harvest comes (sp__child_due()). 0 or a failure, with nothing
   left open. (SIGPORT_CHILD_ANY has no entry: harvest looks at
   sp__child_any_watched().)
   close: closes what open opened (unwatch, or after the reap).
   harvest: at dispatch, reaps the watched children that ended, calling
   sp__child_reaped() for each, and, if SIGPORT_CHILD_ANY is watched, the
   other children that ended (sp__child_any_reaped()).
   fd: sigport_child_fd(), made by start.
   ready: whether the child fd has news that no SIGCHLD has made due yet
   (a readable pidfd set); main thread, without the lock, between start
   and stop. 0 where every end is made due before the fd becomes readable.
   kick: makes the child fd readable (sp__child_due() calls it, after the
   due flag is set); the next harvest empties it. Async-signal-safe, and
   called from any thread, without the lock: between start and stop only.
   after_fork: in a fork() child, with signals blocked and the lock held:
   closes the child's copies of the handles, async-signal-safe. */
int sp__backend_child_start(const char *fn);
void sp__backend_child_stop(void);
int sp__backend_child_open(struct sp_child *c, const char *fn);
void sp__backend_child_close(struct sp_child *c);
void sp__backend_child_harvest(void);
sigport_socket_t sp__backend_child_fd(void);
void sp__backend_child_kick(void);
int sp__backend_child_ready(void);
void sp__backend_child_after_fork(void);

/* Makes the next dispatch harvest: sets the due flag and the pending
   flag, and wakes whoever waits: the child fd (sp__backend_child_kick()),
   sigport_pause(), and on POSIX the wakeup fd, with SIGCHLD's byte (a
   Windows wakeup fd carries signal numbers only, and a child's end is
   none). Async-signal-safe: a Windows wait callback calls it from a pool
   thread. Only between the backend's start and stop. */
void sp__child_due(void);

/* Dispatch's part (dispatch.c), on the main thread when the due flag is
   set: harvests, then reports the queue in order, each fn called without
   the lock; the first non-zero result stops the reports, and leaves the
   rest (and the flag) for the next dispatch. */
int sp__child_dispatch(void);

/* sigport_dispatch() with nothing pending while child_poll is set (main
   thread): 1 when the backend finds the child fd readable, which makes
   the harvest due. */
int sp__child_poll(void);

/* The last sigport_shutdown(), under the lock: every entry is dropped
   without reaping, the backend stopped. */
void sp__child_shutdown(void);
/* In a fork() child (see sp__backend_child_after_fork): no watch is left.
   The memory is the parent's copy and is kept. Async-signal-safe. */
void sp__child_after_fork(void);

#endif
