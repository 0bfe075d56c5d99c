/*
 * masks.c (Windows): signal masks, the pending set and the sigwait family,
 * emulated for the signals that sigport delivers: the console events, the
 * C runtime signals raised in this process, and SIGALRM from the timer
 * (timers.c).
 *
 * Windows has no masks, so sigport keeps them. Every delivery passes
 * through sp__win32_route() before anything else is done with it:
 * - A delivery for the process (a console event, the timer) goes first to
 *   a thread waiting for it in the sigwait family, which takes it: no
 *   handler runs for it. Otherwise it is held, pending for the process,
 *   while every thread that has a mask blocks it, the main thread (that of
 *   sigport_init()) among them; with no mask anywhere nothing is held.
 * - A raise is for the raising thread, as raise() is pthread_kill() of the
 *   caller on POSIX: it is held, pending for that thread, when the
 *   thread's mask blocks it.
 * - Anything else is delivered as before: the trip, the disposition.
 * A held delivery is one pending signal, as for POSIX's standard signals:
 * a second one merges with it and the first one's siginfo is kept. It is
 * delivered when a change of mask unblocks it (on the thread that makes
 * the change; the handler then runs at the next dispatch, which the call
 * makes on the main thread), and a wait takes it.
 *
 * A thread has a mask from its first call of sigport_pthread_sigmask(),
 * sigport_thread_block() or a wait; it starts empty, since a Windows
 * thread inherits nothing from the thread that made it. Its entry lives
 * on the heap, is found through fiber-local storage, and is marked dead
 * by the storage's callback when the thread exits (then any delivery
 * still held for that thread is dropped, as on POSIX). Dead entries are
 * freed when the next entry is made, so the callback takes no lock: it may
 * run while the process is exiting, after other threads were stopped
 * anywhere.
 *
 * The lock. Nothing on Windows interrupts a thread to run a handler: the
 * C runtime calls one inside raise() (or at a fault, which is never routed
 * here), a console event comes on a thread of its own, and the timer's
 * callback on a pool thread. So route may take a lock, as long as no
 * thread raises a signal while holding it, which sigport never does. While
 * no thread has a mask, route takes none: one atomic load.
 */
#include <math.h>
#include <string.h>

#include "win32.h"
#include "../trip.h"

/* A thread's mask, what is held for it, and its wait. All but `dead`
   under mlock; mask and pending are written by the thread itself. */
struct sp_w32_thread {
  struct sp_w32_thread *next;
  DWORD id;
  sp_atomic_int dead; /* set by the fiber-local storage callback */
  sigport_sigset_t mask;
  sigport_sigset_t pending; /* held for this thread */
  struct sp_record held[SIGPORT_NSIG];
  /* In a wait for wset: a delivery of it is handed over in `taken` and
     `trec`, and `event` (auto-reset) is set. */
  int waiting;
  sigport_sigset_t wset;
  int taken;
  struct sp_record trec;
  HANDLE event;
};

static SRWLOCK mlock = SRWLOCK_INIT;
static struct sp_w32_thread *threads;
/* 1 once a thread has had a mask: route looks at nothing else before. */
static sp_atomic_int masks_on;
/* The main thread's id while sigport is initialised (process.c), else 0. */
static sp_atomic_ulong main_id;
/* Held for the process. */
static sigport_sigset_t proc_pending;
static struct sp_record proc_held[SIGPORT_NSIG];

static INIT_ONCE fls_once = INIT_ONCE_STATIC_INIT;
static DWORD fls_index = FLS_OUT_OF_INDEXES;

/* Set operations on members already checked to be in range. */
static int has(const sigport_sigset_t *s, int n) {
  return (int)((s->bits[n / 64] >> (n % 64)) & 1u);
}
static void add(sigport_sigset_t *s, int n) {
  s->bits[n / 64] |= (uint64_t)1 << (n % 64);
}
static void del(sigport_sigset_t *s, int n) {
  s->bits[n / 64] &= ~((uint64_t)1 << (n % 64));
}

static void WINAPI thread_gone(PVOID data) {
  struct sp_w32_thread *t = data;
  if (t != NULL) atomic_store_explicit(&t->dead, 1, SP_RELEASE);
}

static BOOL CALLBACK fls_init(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  (void)once;
  (void)param;
  (void)ctx;
  fls_index = FlsAlloc(thread_gone);
  return TRUE;
}

void sp__win32_masks_main(int on) {
  atomic_store_explicit(&main_id, on ? GetCurrentThreadId() : 0ul,
                        SP_RELEASE);
}

/* Frees the entries of threads that have exited. Under mlock. */
static void reap(void) {
  struct sp_w32_thread **p = &threads;
  while (*p != NULL) {
    struct sp_w32_thread *t = *p;
    if (atomic_load_explicit(&t->dead, SP_ACQUIRE)) {
      *p = t->next;
      (void)CloseHandle(t->event);
      free(t);
    } else {
      p = &t->next;
    }
  }
}

/* The calling thread's entry, made on first use; NULL with a failure
   naming `fn` when it cannot be made. */
static struct sp_w32_thread *self_entry(const char *fn) {
  struct sp_w32_thread *t;
  DWORD err;
  (void)InitOnceExecuteOnce(&fls_once, fls_init, NULL, NULL);
  if (fls_index == FLS_OUT_OF_INDEXES) {
    sp__fail_os(SIGPORT_EOS, ERROR_NO_SYSTEM_RESOURCES, "%s: FlsAlloc", fn);
    return NULL;
  }
  t = FlsGetValue(fls_index);
  if (t != NULL) return t;
  t = sp__calloc(1, sizeof *t);
  if (t == NULL) {
    sp__fail_os(SIGPORT_EOS, ERROR_NOT_ENOUGH_MEMORY, "%s", fn);
    return NULL;
  }
  t->id = GetCurrentThreadId();
  t->event = CreateEventW(NULL, FALSE, FALSE, NULL);
  if (t->event == NULL) {
    err = GetLastError();
    free(t);
    sp__fail_os(SIGPORT_EOS, (int)err, "%s: CreateEvent", fn);
    return NULL;
  }
  if (!FlsSetValue(fls_index, t)) {
    err = GetLastError();
    (void)CloseHandle(t->event);
    free(t);
    sp__fail_os(SIGPORT_EOS, (int)err, "%s: FlsSetValue", fn);
    return NULL;
  }
  AcquireSRWLockExclusive(&mlock);
  reap();
  t->next = threads;
  threads = t;
  atomic_store_explicit(&masks_on, 1, SP_RELEASE);
  ReleaseSRWLockExclusive(&mlock);
  return t;
}

/* The calling thread's entry if it has one. */
static struct sp_w32_thread *self_if_any(void) {
  if (fls_index == FLS_OUT_OF_INDEXES) return NULL;
  return FlsGetValue(fls_index);
}

/* Whether a delivery of signum for the process is held: every live
   thread with a mask blocks it, and the main thread is one of them.
   Under mlock. */
static int held_for_process(int signum) {
  const struct sp_w32_thread *t;
  DWORD main = (DWORD)atomic_load_explicit(&main_id, SP_ACQUIRE);
  int any = 0, main_seen = 0;
  for (t = threads; t != NULL; t = t->next) {
    if (atomic_load_explicit(&t->dead, SP_ACQUIRE)) continue;
    if (!has(&t->mask, signum)) return 0;
    any = 1;
    if (t->id == main) main_seen = 1;
  }
  return any && (main == 0 || main_seen);
}

/* Holds a delivery in `set`; a second one merges with the first. */
static void hold(sigport_sigset_t *set, struct sp_record *recs, int signum,
                 const struct sp_record *rec) {
  if (has(set, signum)) return;
  add(set, signum);
  recs[signum] = *rec;
}

int sp__win32_route(int signum, int for_thread, const struct sp_record *rec) {
  struct sp_w32_thread *t, *self = NULL;
  int where = SP_ROUTE_DELIVER;
  if (SP_LIKELY(!atomic_load_explicit(&masks_on, SP_ACQUIRE)))
    return SP_ROUTE_DELIVER;
  if (for_thread) {
    self = self_if_any();
    if (self == NULL) return SP_ROUTE_DELIVER;
  }
  AcquireSRWLockExclusive(&mlock);
  if (for_thread) {
    if (has(&self->mask, signum)) {
      hold(&self->pending, self->held, signum, rec);
      where = SP_ROUTE_HELD;
    }
  } else {
    for (t = threads; t != NULL; t = t->next) {
      if (t->waiting && has(&t->wset, signum) &&
          !atomic_load_explicit(&t->dead, SP_ACQUIRE)) {
        t->waiting = 0;
        t->taken = signum;
        t->trec = *rec;
        (void)SetEvent(t->event);
        where = SP_ROUTE_TAKEN;
        break;
      }
    }
    if (where == SP_ROUTE_DELIVER && held_for_process(signum)) {
      hold(&proc_pending, proc_held, signum, rec);
      where = SP_ROUTE_HELD;
    }
  }
  ReleaseSRWLockExclusive(&mlock);
  return where;
}

int sp__win32_masks_on(void) {
  return atomic_load_explicit(&masks_on, SP_ACQUIRE);
}

/* ------------------------------------------------------------------ */
/* Masks                                                              */
/* ------------------------------------------------------------------ */

/* Sets the calling thread's mask, and delivers what that unblocks. */
static int set_mask(int how, const sigport_sigset_t *mask,
                    sigport_sigset_t *old, const char *fn) {
  struct sp_w32_thread *self;
  sigport_sigset_t valid, next, prev;
  struct sp_record recs[SIGPORT_NSIG];
  int due[SIGPORT_NSIG], ndue = 0, s, i;
  sigport_valid_signals(&valid);
  self = self_entry(fn);
  if (self == NULL) return SIGPORT_EOS;
  AcquireSRWLockExclusive(&mlock);
  prev = next = self->mask;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    /* A number that is not a signal here is left out, as the system
       leaves SIGKILL and SIGSTOP out. */
    int in = has(mask, s) && has(&valid, s);
    if (how == SIGPORT_SIG_SETMASK ? in : (in && how == SIGPORT_SIG_BLOCK))
      add(&next, s);
    else if (how == SIGPORT_SIG_SETMASK || in)
      del(&next, s);
  }
  self->mask = next;
  /* What the new mask lets through, this thread's first. */
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (has(&self->pending, s) && !has(&next, s)) {
      del(&self->pending, s);
      recs[ndue] = self->held[s];
      due[ndue++] = s;
    } else if (has(&proc_pending, s) && !held_for_process(s)) {
      del(&proc_pending, s);
      recs[ndue] = proc_held[s];
      due[ndue++] = s;
    }
  }
  ReleaseSRWLockExclusive(&mlock);
  if (old != NULL) *old = prev;
  for (i = 0; i < ndue; i++) sp__win32_deliver(due[i], &recs[i]);
  return 0;
}

int sigport_pthread_sigmask(int how, const sigport_sigset_t *mask,
                            sigport_sigset_t *old) {
  static const char fn[] = "sigport_pthread_sigmask";
  int rc;
  if (how != SIGPORT_SIG_BLOCK && how != SIGPORT_SIG_UNBLOCK &&
      how != SIGPORT_SIG_SETMASK)
    return sp__fail(SIGPORT_EVALUE,
                    "%s: invalid how %d (expected SIGPORT_SIG_BLOCK, "
                    "SIGPORT_SIG_UNBLOCK or SIGPORT_SIG_SETMASK)",
                    fn, how);
  rc = sp__check_ptr(mask, fn, "mask");
  if (rc == 0) rc = sp__check_set_members(mask, fn);
  if (rc == 0) rc = set_mask(how, mask, old, fn);
  if (rc != 0) return rc;
  return how == SIGPORT_SIG_BLOCK ? 0 : sp__dispatch_if_main();
}

int sigport_thread_block(sigport_sigset_t *old) {
  sigport_sigset_t set;
  sigport_valid_signals(&set);
  /* The fault signals stay deliverable, as on POSIX. */
  del(&set, SIGPORT_SIGSEGV);
  del(&set, SIGPORT_SIGFPE);
  del(&set, SIGPORT_SIGILL);
  return set_mask(SIGPORT_SIG_SETMASK, &set, old, "sigport_thread_block");
}

int sigport_sigpending(sigport_sigset_t *out) {
  struct sp_w32_thread *self;
  int rc = sp__check_ptr(out, "sigport_sigpending", "out"), w;
  if (rc != 0) return rc;
  self = self_if_any();
  AcquireSRWLockShared(&mlock);
  *out = proc_pending;
  if (self != NULL)
    for (w = 0; w < 2; w++) out->bits[w] |= self->pending.bits[w];
  ReleaseSRWLockShared(&mlock);
  return 0;
}

/* ------------------------------------------------------------------ */
/* The waits                                                          */
/* ------------------------------------------------------------------ */

/* Checks the set of a wait, and leaves in *out its members that are
   signals here: at least one. */
static int get_wait_set(const sigport_sigset_t *in, const char *fn,
                        sigport_sigset_t *out) {
  sigport_sigset_t valid;
  int rc = sp__check_ptr(in, fn, "set"), w;
  if (rc == 0) rc = sp__check_set_members(in, fn);
  if (rc != 0) return rc;
  sigport_valid_signals(&valid);
  for (w = 0; w < 2; w++) out->bits[w] = in->bits[w] & valid.bits[w];
  if (out->bits[0] != 0 || out->bits[1] != 0) return 0;
  return sp__fail(SIGPORT_EVALUE,
                  "%s: empty signal set (no signal that can be waited for)",
                  fn);
}

/* Takes a held delivery of `set`, this thread's first, into *signum and
   *rec: 1, or 0 when none is held. Under mlock. */
static int take_held(struct sp_w32_thread *self, const sigport_sigset_t *set,
                     int *signum, struct sp_record *rec) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (has(set, s) && has(&self->pending, s)) {
      del(&self->pending, s);
      *rec = self->held[s];
      *signum = s;
      return 1;
    }
  }
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (has(set, s) && has(&proc_pending, s)) {
      del(&proc_pending, s);
      *rec = proc_held[s];
      *signum = s;
      return 1;
    }
  }
  return 0;
}

/* No deadline. */
#define SP_FOREVER INT64_MAX

/* Waits for the hand-over event, and on the main thread for a delivery
   outside the set that needs dispatch too (the pause event, which the
   trip sets while `sleeping` is). Returns 1 when the pause event woke
   it, else 0; a failure of the wait is a failure. */
static int sleep_once(struct sp_w32_thread *self, int64_t left_ns, int main,
                      const char *fn) {
  HANDLE h[2];
  DWORD n = 1, ms, r;
  h[0] = self->event;
  if (left_ns == SP_FOREVER)
    ms = INFINITE;
  else
    /* Up to the millisecond: never shorter than asked. */
    ms = left_ns / 1000000 >= (int64_t)INFINITE - 1
             ? INFINITE - 1
             : (DWORD)((left_ns + 999999) / 1000000);
  if (main) {
    h[1] = sp__win32_pause_event();
    n = 2;
  }
  r = WaitForMultipleObjects(n, h, FALSE, ms);
  if (r == WAIT_FAILED)
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "%s: WaitForMultipleObjects", fn);
  return r == WAIT_OBJECT_0 + 1;
}

/* The wait loop of the whole family. Returns 1 with *info filled, 0 when
   the time ran out, a handler's non-zero result, or a failure. */
static int wait_loop(const sigport_sigset_t *set, int64_t timeout_ns,
                     sigport_siginfo_t *info, const char *fn) {
  struct sp_w32_thread *self;
  struct sp_record rec;
  int64_t deadline = SP_FOREVER, left = SP_FOREVER;
  int signum = 0, got, rc;
  memset(info, 0, sizeof *info);
  if (timeout_ns >= 0) {
    int64_t start = sp__win32_now_ns();
    deadline =
        timeout_ns > SP_FOREVER - 1 - start ? SP_FOREVER - 1
                                            : start + timeout_ns;
    left = timeout_ns;
  }
  /* What is already pending runs first, as on POSIX. */
  rc = sp__dispatch_if_main();
  if (rc != 0) return rc;
  self = self_entry(fn);
  if (self == NULL) return SIGPORT_EOS;
  for (;;) {
    /* On the main thread, with nobody else dispatching, a delivery
       outside the set wakes the wait, is dispatched, and the wait goes
       on (PEP 475), as POSIX's EINTR does. */
    int main = sp__initialised() && sp__is_main_thread() && !sp__dthread_on();
    AcquireSRWLockExclusive(&mlock);
    got = take_held(self, set, &signum, &rec);
    if (!got && left != 0) {
      self->waiting = 1;
      self->wset = *set;
      self->taken = 0;
    }
    ReleaseSRWLockExclusive(&mlock);
    if (got) break;
    if (left == 0) return 0;
    if (main) {
      (void)atomic_exchange_explicit(&sp__state.sleeping, 1, SP_SEQ_CST);
      if (atomic_load_explicit(&sigport__pending_flag, SP_SEQ_CST))
        rc = 1;
      else
        rc = sleep_once(self, left, 1, fn);
      atomic_store_explicit(&sp__state.sleeping, 0, SP_SEQ_CST);
    } else {
      rc = sleep_once(self, left, 0, fn);
    }
    AcquireSRWLockExclusive(&mlock);
    self->waiting = 0;
    got = self->taken != 0;
    if (got) {
      signum = self->taken;
      rec = self->trec;
      self->taken = 0;
    }
    ReleaseSRWLockExclusive(&mlock);
    if (got) break;
    if (rc < 0) return rc;
    if (rc == 1) {
      rc = sp__dispatch_if_main();
      if (rc != 0) return rc;
    }
    if (timeout_ns >= 0) {
      int64_t now = sp__win32_now_ns();
      left = now >= deadline ? 0 : deadline - now;
    }
  }
  sp__info_fill(info, signum, &rec, 1);
  return 1;
}

/* Whether a result of the loop leaves *info meaningful: anything but
   sigport's own failures (-1 to -99). */
static int fills_info(int rc) { return rc >= 0 || rc <= -100; }

int sigport_sigwait(const sigport_sigset_t *set, int *signum) {
  static const char fn[] = "sigport_sigwait";
  sigport_sigset_t in;
  sigport_siginfo_t info;
  int rc = get_wait_set(set, fn, &in);
  if (rc == 0) rc = sp__check_ptr(signum, fn, "signum");
  if (rc != 0) return rc;
  rc = wait_loop(&in, -1, &info, fn);
  if (rc != 1) return rc;
  *signum = info.signo;
  return 0;
}

int sigport_sigwaitinfo(const sigport_sigset_t *set, sigport_siginfo_t *info) {
  static const char fn[] = "sigport_sigwaitinfo";
  sigport_sigset_t in;
  sigport_siginfo_t got;
  int rc = get_wait_set(set, fn, &in);
  if (rc != 0) return rc;
  rc = wait_loop(&in, -1, &got, fn);
  if (info != NULL && fills_info(rc)) *info = got;
  return rc == 1 ? got.signo : rc;
}

int sigport_sigtimedwait(const sigport_sigset_t *set, double timeout,
                         sigport_siginfo_t *info) {
  static const char fn[] = "sigport_sigtimedwait";
  sigport_sigset_t in;
  sigport_siginfo_t got;
  uint64_t ns;
  int rc = get_wait_set(set, fn, &in);
  if (rc != 0) return rc;
  if (isnan(timeout) || isinf(timeout))
    return sp__fail(SIGPORT_EVALUE, "%s: invalid timeout %g", fn, timeout);
  if (timeout < 0)
    return sp__fail(SIGPORT_EVALUE, "%s: timeout %g must be non-negative", fn,
                    timeout);
  if (sp__seconds_to_ns(timeout, &ns) != 0)
    return sp__fail(SIGPORT_EVALUE, "%s: timeout %g too large", fn, timeout);
  rc = wait_loop(&in, (int64_t)ns, &got, fn);
  if (info != NULL && fills_info(rc)) *info = got;
  return rc;
}
