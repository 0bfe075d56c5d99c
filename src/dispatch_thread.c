/*
 * dispatch_thread.c: the dispatch thread (SPEC 6.4), for programs with no
 * loop of their own: a thread that sleeps until something is pending and
 * then dispatches, so that the handlers, the added handlers and the child
 * callbacks run there, one at a time, while the main thread never
 * dispatches.
 *
 * - It sleeps as sigport_pause() does, on pause's wake object (a pipe on
 *   POSIX, an event on Windows), with the same Dekker pair of `sleeping`
 *   and the pending flag, so the trip writes to the object only while the
 *   thread sleeps. sigport_pause() is refused meanwhile, so the two never
 *   share the object. Stop sets `stop_asked` and then wakes the object
 *   whatever `sleeping` says.
 * - A handler's fn and arg are written by the main thread and read by the
 *   thread as a pair: the thread dispatches under the dispatch lock
 *   (sp__backend_dlock()), which the main thread holds while it changes a
 *   handler (sigport_signal(), the added handlers). The trip never takes
 *   it: it only counts and wakes, as always.
 * - The state: sp__state.dthread (the thread owns dispatch, from start to
 *   stop) is the main thread's; the thread writes `result` and `ended`
 *   before it ends, and stop reads them after the join.
 */
#include "backend.h"
#include "internal.h"

#define SP_DTHREAD_FLAGS ((unsigned)SIGPORT_DISPATCH_KEEP_RUNNING)

/* Set by stop, read by the thread: SP_STOP_AFTER_LAST (stop), after one
   last dispatch of what is pending, or SP_STOP_NOW (shutdown, which runs
   no handler: what is pending is raised again by shutdown). */
enum { SP_STOP_NO = 0, SP_STOP_AFTER_LAST, SP_STOP_NOW };
static sp_atomic_int stop_asked;
/* The thread's first non-zero handler result (or a failure of its wait),
   written by the thread before it ends; read by stop after the join. */
static int result;
/* 1 once the thread has ended by itself (a non-zero result), for the
   messages; the thread writes it, anyone reads it. */
static sp_atomic_int ended;
/* start's flags, written before the thread is made. */
static unsigned run_flags;
/* fork() children made (counted in each child): a handler on the thread
   that forks leaves the loop in the child (see run()). */
static sp_atomic_uint forks;
/* 1 on the dispatch thread. */
static SP_THREAD_LOCAL int on_thread;
/* This thread took the dispatch lock before fork(). */
static SP_THREAD_LOCAL int fork_locked;

/* Sleeps until something is pending or stop asks, as sigport_pause()
   does: 0, or the failure of the wait. */
static int sleep_until_due(void) {
  int rc = 0;
  /* The other side of the trip's Dekker pair (trip.h): an exchange. */
  (void)atomic_exchange_explicit(&sp__state.sleeping, 1, SP_SEQ_CST);
  while (!atomic_load_explicit(&sigport__pending_flag, SP_SEQ_CST) &&
         !atomic_load_explicit(&stop_asked, SP_SEQ_CST)) {
    rc = sp__backend_pause_wait();
    if (rc != 0) break;
  }
  atomic_store_explicit(&sp__state.sleeping, 0, SP_SEQ_CST);
  return rc;
}

static void run(void) {
  unsigned forks_at_start = atomic_load_explicit(&forks, SP_RELAXED);
  int r = 0;
  on_thread = 1;
  for (;;) {
    /* Read first: what was pending when stop was asked (a delivery whose
       trip ended before sigport_dispatch_thread_stop() was called) is
       dispatched once more, here, before the thread ends. */
    int stopping = atomic_load_explicit(&stop_asked, SP_ACQUIRE);
    if (stopping == SP_STOP_NOW) break;
    if (atomic_load_explicit(&sigport__pending_flag, SP_ACQUIRE)) {
      sp__backend_dlock();
      r = sp__dispatch_from_thread();
      sp__backend_dunlock();
      /* A handler forked and this is the child, whose only thread this
         is: the child has no dispatch thread, and this one ends here. */
      if (atomic_load_explicit(&forks, SP_RELAXED) != forks_at_start) return;
      if (r != 0 || stopping) break;
      continue;
    }
    if (stopping) break;
    r = sleep_until_due();
    if (r != 0) break;
  }
  result = r;
  atomic_store_explicit(&ended, r != 0, SP_RELEASE);
  /* An uncaught KeyboardInterrupt ends Python. */
  if (r == SIGPORT_EKEYBOARDINTERRUPT &&
      !(run_flags & SIGPORT_DISPATCH_KEEP_RUNNING))
    sigport_exit_by_signal(SIGPORT_SIGINT);
}

int sigport_dispatch_thread_start(unsigned flags) {
  static const char name[] = "sigport_dispatch_thread_start";
  int rc;
  if (flags & ~SP_DTHREAD_FLAGS)
    return sp__fail(SIGPORT_EVALUE, "%s: unknown flags 0x%x", name,
                    flags & ~SP_DTHREAD_FLAGS);
  rc = sp__check_main(name);
  if (rc != 0) return rc;
  if (sp__dthread_on()) {
    if (atomic_load_explicit(&ended, SP_ACQUIRE))
      return sp__fail(SIGPORT_EVALUE,
                      "%s: the dispatch thread is already running (it "
                      "stopped on a handler's result, which "
                      "sigport_dispatch_thread_stop() returns)",
                      name);
    return sp__fail(SIGPORT_EVALUE, "%s: the dispatch thread is already running",
                    name);
  }
  atomic_store_explicit(&stop_asked, 0, SP_RELAXED);
  atomic_store_explicit(&ended, 0, SP_RELAXED);
  result = 0;
  run_flags = flags;
  /* Before the thread exists: from here on the main thread dispatches
     nothing, and whatever is pending is the thread's. */
  atomic_store_explicit(&sp__state.dthread, 1, SP_SEQ_CST);
  rc = sp__backend_thread_start(run, name);
  if (rc != 0) atomic_store_explicit(&sp__state.dthread, 0, SP_SEQ_CST);
  return rc;
}

/* Asks the thread to stop (how: SP_STOP_*), waits for it, and returns its
   result. */
static int stop(int how) {
  int r;
  atomic_store_explicit(&stop_asked, how, SP_SEQ_CST);
  /* Whatever `sleeping` says: the thread looks at stop_asked before each
     wait, and this wake comes after the store. */
  sp__backend_pause_wake();
  sp__backend_thread_join();
  r = result;
  result = 0;
  atomic_store_explicit(&ended, 0, SP_RELAXED);
  atomic_store_explicit(&stop_asked, SP_STOP_NO, SP_RELAXED);
  atomic_store_explicit(&sp__state.dthread, 0, SP_SEQ_CST);
  return r;
}

int sigport_dispatch_thread_stop(void) {
  static const char name[] = "sigport_dispatch_thread_stop";
  int rc = sp__check_main(name);
  if (rc != 0) return rc;
  if (!sp__dthread_on())
    return sp__fail(SIGPORT_EVALUE,
                    "%s: the dispatch thread is not running (never "
                    "started with sigport_dispatch_thread_start(), or "
                    "stopped already)",
                    name);
  return stop(SP_STOP_AFTER_LAST);
}

void sp__dthread_shutdown(void) {
  if (sp__dthread_on()) (void)stop(SP_STOP_NOW);
}

int sp__dthread_refuse(const char *fn) {
  return sp__fail(SIGPORT_EVALUE,
                  "%s: the dispatch thread runs the handlers (started by "
                  "sigport_dispatch_thread_start()); call "
                  "sigport_dispatch_thread_stop() first",
                  fn);
}

int sp__dthread_is_self(void) { return on_thread; }

int sp__dthread_hold(void) {
  if (!sp__dthread_on()) return 0;
  sp__backend_dlock();
  return 1;
}

void sp__dthread_release(int held) {
  if (held) sp__backend_dunlock();
}

/* fork(): the dispatch lock is taken across it, so that the child does
   not inherit it held by a thread it does not have, nor a handler list
   half changed. The thread itself holds it already when a handler
   forks. Before sp__backend_lock(), the lock order. */
void sp__dthread_before_fork(void) {
  fork_locked = !on_thread;
  if (fork_locked) sp__backend_dlock();
}

void sp__dthread_after_fork_parent(void) {
  if (fork_locked) sp__backend_dunlock();
}

void sp__dthread_after_fork_child(void) {
  atomic_store_explicit(&sp__state.dthread, 0, SP_RELAXED);
  atomic_store_explicit(&stop_asked, 0, SP_RELAXED);
  atomic_store_explicit(&ended, 0, SP_RELAXED);
  result = 0;
  atomic_fetch_add_explicit(&forks, 1, SP_RELAXED);
  sp__backend_thread_forget();
  if (fork_locked) sp__backend_dunlock();
}
