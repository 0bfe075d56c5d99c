/*
 * actions.c: dispositions of the five C runtime signals (SIGABRT, SIGFPE,
 * SIGILL, SIGSEGV, SIGTERM) through the runtime's signal(), the raw handler
 * the runtime calls, and the saved originals of all seven signals.
 *
 * The C runtime resets a signal to SIG_DFL before it calls a handler, for a
 * raise() as for a fault, so the raw handler installs itself again. Between
 * the reset and that call a second delivery on another thread meets
 * SIG_DFL; that window is the runtime's and cannot be closed from outside.
 * sigport_raise() does not open it: while sigport holds a signal, it runs
 * the trip itself and does not call the runtime's raise(). Only raise()
 * called straight to the runtime, and hardware faults, meet the window.
 *
 * Reading an action. The runtime has no call that reads one: signal() sets
 * an action and returns the one before. Setting one and setting it back
 * races the raw handler (it can report the reset's SIG_DFL, or put that
 * SIG_DFL back just after the raw handler installed itself, so that the
 * next raise ends the process), so sigport reads the runtime only where no
 * raw handler can be at work:
 * - `held` is what sigport holds each of the five at: SP_DISP_DFL,
 *   SP_DISP_IGN or SP_DISP_TRIP as sigport last set it, or SP_DISP_NONE
 *   when sigport holds nothing (never set, given back, or shut down). It
 *   changes with the runtime's action, under crt_lock.
 * - While sigport holds a signal, `held` is the answer and the runtime is
 *   not called. The raw handler puts back what `held` says (not always
 *   itself), so a change that sigport makes while a delivery is on its way
 *   to the raw handler is not undone by the runtime's reset. Before a
 *   change, sigport stores the new `held` and waits until no raw handler
 *   is between its read of `held` and its signal() call (`rearming`): none
 *   puts an older value back afterwards. So the runtime's action is what
 *   `held` says, except in the reset window above, and after a fault
 *   (below), which leaves SIG_DFL and is recorded in `lapsed`. A handler
 *   that the program installs with the runtime's signal() over one of
 *   sigport's is not seen, and is replaced when sigport gives the signal
 *   back or shuts down: as for the console signals (console.c), sigport's
 *   record is the disposition.
 * - When sigport holds nothing, the action is the program's and is read by
 *   setting it. No raw handler races that read: once `held` is
 *   SP_DISP_NONE and the wait is over, none sets anything. The read sets
 *   the action sigport last saw there (`seen`; at first SIG_DFL, the
 *   runtime's action at start-up) and sets back the one signal() returns
 *   only when the two differ. So a read changes nothing while the program
 *   leaves the action alone. Where the program changed it since sigport
 *   last looked, or its own handler is being called (the runtime has reset
 *   it), a raise() on another thread during the read meets the action that
 *   sigport saw before, and the program's handler may find its own
 *   reinstall undone; no reader of the runtime's actions can avoid that.
 *
 * Faults. A SIGSEGV, SIGFPE or SIGILL that the runtime reports for a
 * hardware exception cannot be deferred: returning runs the faulting
 * instruction again. Windows gives the handler nothing that tells an
 * exception from a raise(), so sigport_raise() marks the raising thread in
 * a small table of thread ids (`raisers`) around its call to raise(). The
 * raw handler dispatches a fault signal normally only when its thread is
 * marked. Otherwise it leaves SIG_DFL, which the runtime has already put
 * back, and returns: the instruction faults again and ends the process as
 * it would have without sigport. A fault signal raised with the runtime's
 * raise() directly, not with sigport_raise(), is taken for a fault in the
 * same way (the delivery is lost and the disposition is SIG_DFL after it).
 * The table holds thread ids, not thread-local data, so the raw handler
 * reads only atomics.
 *
 * Per-thread actions. Windows' own C runtimes keep the actions of SIGFPE,
 * SIGILL and SIGSEGV per thread (the others per process); Wine keeps all
 * of them per process. sigport sets them on the main thread, where
 * sigport_signal() runs. On another thread, sigport reports what it holds
 * them at (SIG_DFL if nothing), and sigport_raise() of these three follows
 * it: the trip directly for a handler, nothing for SIG_IGN, and the
 * runtime's raise() (the thread's own default) otherwise.
 */
#include <errno.h>
#include <signal.h>

#include "win32.h"
#include "../trip.h"

typedef void(__cdecl *crt_handler)(int);

/* Threads inside sigport_raise() now; 0 marks a free slot (no thread has
   id 0). A thread raises one signal at a time, so it holds one slot. */
#define SP_RAISERS 64
static sp_atomic_ulong raisers[SP_RAISERS];

/* The disposition each signal had when sigport first touched it: a C
   runtime handler for the five, an enum sp_disp for the console two.
   Main thread only. */
static crt_handler saved_crt[SIGPORT_NSIG];
static int saved_console[SIGPORT_NSIG];
static unsigned char has_saved[SIGPORT_NSIG];

/* What sigport holds each of the five at (see "Reading an action"), as an
   enum sp_disp plus one, so that static storage starts at SP_DISP_NONE.
   Written under crt_lock; read by the raw handler and by getsignal on any
   thread. */
static sp_atomic_int held[SIGPORT_NSIG];
/* Raw handlers between their read of `held` and their signal() call. */
static sp_atomic_int rearming;
/* 1 when a fault (or a direct raise() taken for one) left SIG_DFL where
   sigport holds the raw handler. */
static sp_atomic_int lapsed[SIGPORT_NSIG];
/* The action sigport last saw in the runtime or set there; under
   crt_lock. Zero is SIG_DFL, the runtime's action at start-up. */
static crt_handler seen[SIGPORT_NSIG];

/* Serialises sigport's own calls of the runtime's signal(): the changes
   that the main thread makes, and the reads (by setting) of a signal that
   sigport holds nothing of, which any thread may make. Never taken by the
   raw handler. */
static SRWLOCK crt_lock = SRWLOCK_INIT;

static int held_disp(int signum) {
  return atomic_load_explicit(&held[signum], SP_SEQ_CST) - 1;
}

int sp__win32_raise_begin(void) {
  unsigned long self = GetCurrentThreadId();
  int i;
  for (;;) {
    for (i = 0; i < SP_RAISERS; i++) {
      unsigned long expected = 0;
      if (atomic_load_explicit(&raisers[i], SP_RELAXED) == 0 &&
          atomic_compare_exchange_strong_explicit(&raisers[i], &expected, self,
                                                  SP_SEQ_CST, SP_RELAXED))
        return i;
    }
    /* More threads raise at once than there are slots: wait for one. */
    sp__backend_yield();
  }
}

void sp__win32_raise_end(int slot) {
  atomic_store_explicit(&raisers[slot], 0, SP_SEQ_CST);
}

static int raising_here(void) {
  unsigned long self = GetCurrentThreadId();
  int i;
  for (i = 0; i < SP_RAISERS; i++)
    if (atomic_load_explicit(&raisers[i], SP_SEQ_CST) == self) return 1;
  return 0;
}

static int is_fault_signal(int signum) {
  return signum == SIGSEGV || signum == SIGFPE || signum == SIGILL;
}

static void __cdecl crt_trip(int signum);

static crt_handler crt_value(int disp) {
  return disp == SP_DISP_DFL ? SIG_DFL
         : disp == SP_DISP_IGN ? SIG_IGN
                               : crt_trip;
}

/* Puts back, after the runtime's reset, what sigport holds signum at:
   itself, or what sigport set while the delivery was on its way here.
   Nothing when sigport holds nothing. */
static void rearm(int signum) {
  int disp;
  atomic_fetch_add_explicit(&rearming, 1, SP_SEQ_CST);
  disp = held_disp(signum);
  if (disp != SP_DISP_NONE) (void)signal(signum, crt_value(disp));
  atomic_fetch_sub_explicit(&rearming, 1, SP_RELEASE);
}

/* Records that the runtime's SIG_DFL stays where sigport holds the raw
   handler (a fault). Counted in `rearming`, as rearm() is. */
static void lapse(int signum) {
  atomic_fetch_add_explicit(&rearming, 1, SP_SEQ_CST);
  if (held_disp(signum) == SP_DISP_TRIP)
    atomic_store_explicit(&lapsed[signum], 1, SP_SEQ_CST);
  atomic_fetch_sub_explicit(&rearming, 1, SP_RELEASE);
}

/* The raw handler. It runs in the thread that raised the signal or hit
   the fault, synchronously; SIGFPE handlers get a second argument from the
   runtime, which the calling convention lets this one ignore. */
static void __cdecl crt_trip(int signum) {
  int saved_errno = errno;
  DWORD saved_error = GetLastError();
  /* All zero but the code: no sender is known, and a C runtime signal
     carries no sigval, so value and value_int are both 0. */
  struct sp_record rec = {0};
  if (is_fault_signal(signum) && !raising_here()) {
    /* A hardware fault: the runtime has put SIG_DFL back; returning lets
       the instruction fault again and end the process. */
    lapse(signum);
    SetLastError(saved_error);
    errno = saved_errno;
    return;
  }
  /* Install again first, so that the SIG_DFL window is as short as can
     be. */
  rearm(signum);
  rec.code = SP_WIN32_CODE_CRT;
  /* A raise() made straight to the C runtime meets the raising thread's
     mask here (masks.c); sigport_raise() met it before its raise(). */
  if (SP_UNLIKELY(sp__win32_masks_on()) && !raising_here() &&
      sp__win32_route(signum, 1, &rec) != SP_ROUTE_DELIVER) {
    SetLastError(saved_error);
    errno = saved_errno;
    return;
  }
  /* Not recorded: sigport_shutdown() gave the signal back after the C
     runtime chose this handler. Raised again, it meets the restored one. */
  if (sp__trip(signum, &rec) > 0) (void)raise(signum);
  SetLastError(saved_error);
  errno = saved_errno;
}

/* Makes disp (an enum sp_disp) what sigport holds signum at. A raw
   handler that read the old value has put it back when this returns; one
   that comes later reads the new one. */
static void hold(int signum, int disp) {
  atomic_store_explicit(&held[signum], disp + 1, SP_SEQ_CST);
  while (atomic_load_explicit(&rearming, SP_SEQ_CST) != 0)
    sp__backend_yield();
}

/* hold(), and sets the runtime's action to h. Returns the action before,
   or SIG_ERR with nothing changed; *err is then errno. Under crt_lock. */
static crt_handler crt_hold(int signum, int disp, crt_handler h, int *err) {
  int before = atomic_load_explicit(&held[signum], SP_RELAXED);
  int was_lapsed = atomic_load_explicit(&lapsed[signum], SP_RELAXED);
  crt_handler prev;
  hold(signum, disp);
  atomic_store_explicit(&lapsed[signum], 0, SP_SEQ_CST);
  prev = signal(signum, h);
  if (prev == SIG_ERR) {
    *err = errno;
    atomic_store_explicit(&lapsed[signum], was_lapsed, SP_SEQ_CST);
    atomic_store_explicit(&held[signum], before, SP_SEQ_CST);
    return SIG_ERR;
  }
  seen[signum] = h;
  return prev;
}

/* crt_hold() under the lock, with a failure recorded. */
static crt_handler crt_set(int signum, int disp, crt_handler h) {
  crt_handler prev;
  int err = 0;
  AcquireSRWLockExclusive(&crt_lock);
  prev = crt_hold(signum, disp, h, &err);
  ReleaseSRWLockExclusive(&crt_lock);
  if (prev == SIG_ERR) sp__fail_os(SIGPORT_EOS, err, "signal(%d)", signum);
  return prev;
}

int sp__backend_set_disposition(int signum, int disp) {
  crt_handler prev;
  if (sp__win32_is_own_signal(signum)) {
    if (!has_saved[signum]) {
      saved_console[signum] = sp__win32_own_get(signum);
      has_saved[signum] = 1;
    }
    sp__win32_own_set(signum, disp);
    return 0;
  }
  prev = crt_set(signum, disp, crt_value(disp));
  if (prev == SIG_ERR) return SIGPORT_EOS;
  if (!has_saved[signum]) {
    /* The raw handler left behind by an earlier session that could not
       give the signal back stands for the default. */
    saved_crt[signum] = prev == crt_trip ? SIG_DFL : prev;
    has_saved[signum] = 1;
  }
  return 0;
}

/* 1 when the runtime's action for signum on this thread may not be the
   main thread's (see "Per-thread actions" above). */
static int elsewhere_per_thread(int signum) {
  return is_fault_signal(signum) && sp__initialised() &&
         !sp__is_main_thread();
}

/* Reads the action of a signal that sigport holds nothing of, by setting
   the one last seen there (see "Reading an action" above). Under
   crt_lock. */
static crt_handler crt_read(int signum) {
  crt_handler cur = signal(signum, seen[signum]);
  if (cur != SIG_ERR && cur != seen[signum]) {
    (void)signal(signum, cur);
    seen[signum] = cur;
  }
  return cur;
}

int sp__backend_get_disposition(int signum) {
  crt_handler cur = SIG_ERR;
  int disp;
  if (sp__win32_is_own_signal(signum))
    return sp__win32_own_get(signum);
  disp = held_disp(signum);
  if (elsewhere_per_thread(signum))
    return disp == SP_DISP_NONE ? SP_DISP_DFL : disp;
  if (disp == SP_DISP_NONE) {
    AcquireSRWLockExclusive(&crt_lock);
    /* Looked at again: the main thread may have taken it meanwhile. */
    disp = held_disp(signum);
    if (disp == SP_DISP_NONE) cur = crt_read(signum);
    ReleaseSRWLockExclusive(&crt_lock);
    if (disp == SP_DISP_NONE) {
      if (cur == crt_trip) return SP_DISP_TRIP;
      if (cur == SIG_DFL) return SP_DISP_DFL;
      if (cur == SIG_IGN) return SP_DISP_IGN;
      return SP_DISP_FOREIGN;
    }
  }
  if (disp == SP_DISP_TRIP &&
      atomic_load_explicit(&lapsed[signum], SP_SEQ_CST))
    return SP_DISP_DFL;
  return disp;
}

int sp__backend_restore_original(int signum) {
  if (!has_saved[signum]) return 0;
  if (sp__win32_is_own_signal(signum)) {
    sp__win32_own_set(signum, saved_console[signum]);
  } else if (crt_set(signum, SP_DISP_NONE, saved_crt[signum]) == SIG_ERR) {
    return SIGPORT_EOS;
  }
  has_saved[signum] = 0;
  return 0;
}

void sp__backend_forget_original(int signum) {
  has_saved[signum] = 0;
  if (sp__win32_is_own_signal(signum)) return;
  /* The action stays as it is, and is the program's from now on; after a
     fault it is the runtime's SIG_DFL. */
  AcquireSRWLockExclusive(&crt_lock);
  hold(signum, SP_DISP_NONE);
  if (atomic_load_explicit(&lapsed[signum], SP_SEQ_CST))
    seen[signum] = SIG_DFL;
  atomic_store_explicit(&lapsed[signum], 0, SP_SEQ_CST);
  ReleaseSRWLockExclusive(&crt_lock);
}

/* Raises one of the five through the runtime, marked as a raise. */
static void crt_raise(int signum) {
  int slot = sp__win32_raise_begin();
  (void)raise(signum);
  sp__win32_raise_end(slot);
}

void sp__win32_deliver(int signum, const struct sp_record *rec) {
  if (sp__win32_is_own_signal(signum)) {
    /* Under the disposition that is there now, as a console event would
       meet it. */
    int disp = sp__win32_own_get(signum);
    if (disp == SP_DISP_DFL) sigport_exit_by_signal(signum);
    if (disp == SP_DISP_TRIP) (void)sp__trip(signum, rec);
    return;
  }
  /* A C runtime signal's record is always the same, the CRT code. */
  sp__backend_raise_raw(signum);
}

void sp__backend_raise_raw(int signum) {
  struct sp_record crt = {0};
  crt.code = SP_WIN32_CODE_CRT;
  /* A raise is for the raising thread, and its mask may hold it. */
  if (sp__win32_route(signum, 1, &crt) != SP_ROUTE_DELIVER) return;
  if (sp__win32_is_own_signal(signum)) {
    sp__win32_deliver(signum, &crt);
    return;
  }
  /* Where sigport holds the signal, `held` is its action (see "Reading
     an action"), and the raise does not go through the runtime: its
     raise() would reset the action to SIG_DFL before calling the raw
     handler, and a sigport_raise() on another thread in that window
     would end the process. A fault's SIG_DFL (`lapsed`) and an action
     that sigport does not hold are the runtime's, and its raise() meets
     them. */
  if (elsewhere_per_thread(signum) ||
      !atomic_load_explicit(&lapsed[signum], SP_SEQ_CST)) {
    int disp = held_disp(signum);
    if (disp == SP_DISP_IGN) return;
    /* Not recorded: sigport_shutdown() gave the signal back meanwhile;
       the runtime's raise() meets the restored action. */
    if (disp == SP_DISP_TRIP && sp__trip(signum, &crt) <= 0) return;
  }
  crt_raise(signum);
}

int sp__backend_saved_disposition(int signum) {
  crt_handler h;
  if (!has_saved[signum]) return SP_DISP_NONE;
  if (sp__win32_is_own_signal(signum)) return saved_console[signum];
  h = saved_crt[signum];
  if (h == SIG_DFL) return SP_DISP_DFL;
  if (h == SIG_IGN) return SP_DISP_IGN;
  return SP_DISP_FOREIGN;
}

int sp__backend_check_chain(const char *fn) {
  /* The C runtime's signal() hands back the handler it replaces, but not
     one that a fault or a console event would have reached (the runtime
     resets it before the call), so there is nothing sound to chain to. */
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "%s: SIGPORT_ADD_CHAIN is not available on Windows "
                  "(SIGPORT_HAVE_CHAIN is 0)",
                  fn);
}
