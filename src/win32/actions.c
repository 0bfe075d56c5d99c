/*
 * actions.c: dispositions of the five C runtime signals (SIGABRT, SIGFPE,
 * SIGILL, SIGSEGV, SIGTERM) through the runtime's signal(), the raw handler
 * the runtime calls, and the saved originals of all seven signals.
 *
 * The C runtime resets a signal to SIG_DFL before it calls a handler, for a
 * raise() as for a fault, so the raw handler installs itself again. Between
 * the reset and that call a second delivery on another thread meets
 * SIG_DFL; that window is the runtime's and cannot be closed from outside.
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
 * sigport_signal() runs. On another thread, sigport reports what it set
 * there (SIG_DFL if nothing), and sigport_raise() of these three follows
 * it: the trip directly for a handler, nothing for SIG_IGN, and the
 * runtime's raise() (the thread's own default) otherwise.
 */
#include <errno.h>
#include <signal.h>

#include "win32.h"

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

/* Serialises the runtime's signal() calls that read a disposition by
   setting it and setting it back, against the calls that set one: a
   reader on another thread must not put back a value the main thread has
   just replaced. Never taken by the raw handler. */
static SRWLOCK crt_lock = SRWLOCK_INIT;

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

/* The raw handler. It runs in the thread that raised the signal or hit
   the fault, synchronously; SIGFPE handlers get a second argument from the
   runtime, which the calling convention lets this one ignore. */
static void __cdecl crt_trip(int signum) {
  int saved_errno = errno;
  DWORD saved_error = GetLastError();
  struct sp_record rec = {0};
  sigport_handler_fn fn;
  if (is_fault_signal(signum) && !raising_here()) {
    /* A hardware fault: the runtime has put SIG_DFL back; returning lets
       the instruction fault again and end the process. */
    SetLastError(saved_error);
    errno = saved_errno;
    return;
  }
  /* Install again first, so that the SIG_DFL window is as short as can
     be; not when sigport has just set the signal to something else. */
  fn = atomic_load_explicit(&sp__state.sig[signum].fn, SP_ACQUIRE);
  if (fn != SIGPORT_SIG_DFL && fn != SIGPORT_SIG_IGN &&
      fn != SIGPORT_SIG_EXTERNAL)
    (void)signal(signum, crt_trip);
  rec.code = SP_WIN32_CODE_CRT;
  /* Not recorded: sigport_shutdown() gave the signal back after the C
     runtime chose this handler. Raised again, it meets the restored one. */
  if (sp__trip(signum, &rec) > 0) (void)raise(signum);
  SetLastError(saved_error);
  errno = saved_errno;
}

static crt_handler crt_value(int disp) {
  return disp == SP_DISP_DFL ? SIG_DFL
         : disp == SP_DISP_IGN ? SIG_IGN
                               : crt_trip;
}

/* Sets a runtime disposition and returns the previous one, or SIG_ERR with
   a failure recorded. */
static crt_handler crt_set(int signum, crt_handler h) {
  crt_handler prev;
  AcquireSRWLockExclusive(&crt_lock);
  prev = signal(signum, h);
  ReleaseSRWLockExclusive(&crt_lock);
  if (prev == SIG_ERR)
    sp__fail_os(SIGPORT_EOS, errno, "signal(%d)", signum);
  return prev;
}

int sp__backend_set_disposition(int signum, int disp) {
  crt_handler prev;
  if (sp__win32_is_console_signal(signum)) {
    if (!has_saved[signum]) {
      saved_console[signum] = sp__win32_console_get(signum);
      has_saved[signum] = 1;
    }
    sp__win32_console_set(signum, disp);
    return 0;
  }
  prev = crt_set(signum, crt_value(disp));
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

int sp__backend_get_disposition(int signum) {
  crt_handler cur;
  if (sp__win32_is_console_signal(signum))
    return sp__win32_console_get(signum);
  if (elsewhere_per_thread(signum)) {
    int ours = atomic_load_explicit(&sp__state.sig[signum].ours, SP_RELAXED);
    return ours == SP_DISP_NONE ? SP_DISP_DFL : ours;
  }
  /* The runtime can only be read by setting: set the raw handler, which is
     what is there whenever sigport handles the signal, and put back
     anything else at once. */
  AcquireSRWLockExclusive(&crt_lock);
  cur = signal(signum, crt_trip);
  if (cur != crt_trip && cur != SIG_ERR) (void)signal(signum, cur);
  ReleaseSRWLockExclusive(&crt_lock);
  if (cur == crt_trip) return SP_DISP_TRIP;
  if (cur == SIG_DFL) return SP_DISP_DFL;
  if (cur == SIG_IGN) return SP_DISP_IGN;
  return SP_DISP_FOREIGN;
}

int sp__backend_restore_original(int signum) {
  if (!has_saved[signum]) return 0;
  if (sp__win32_is_console_signal(signum)) {
    sp__win32_console_set(signum, saved_console[signum]);
  } else if (crt_set(signum, saved_crt[signum]) == SIG_ERR) {
    return SIGPORT_EOS;
  }
  has_saved[signum] = 0;
  return 0;
}

void sp__backend_forget_original(int signum) { has_saved[signum] = 0; }

/* Raises one of the five through the runtime, marked as a raise. */
static void crt_raise(int signum) {
  int slot = sp__win32_raise_begin();
  (void)raise(signum);
  sp__win32_raise_end(slot);
}

void sp__backend_raise_raw(int signum) {
  if (sp__win32_is_console_signal(signum)) {
    /* Under the disposition that is there now, as a console event would
       meet it. */
    int disp = sp__win32_console_get(signum);
    struct sp_record rec = {0};
    if (disp == SP_DISP_DFL) sigport_exit_by_signal(signum);
    if (disp == SP_DISP_TRIP) {
      rec.code = SP_WIN32_CODE_CRT;
      sp__trip(signum, &rec);
    }
    return;
  }
  if (elsewhere_per_thread(signum)) {
    int ours = atomic_load_explicit(&sp__state.sig[signum].ours, SP_RELAXED);
    struct sp_record rec = {0};
    if (ours == SP_DISP_IGN) return;
    if (ours == SP_DISP_TRIP) {
      rec.code = SP_WIN32_CODE_CRT;
      sp__trip(signum, &rec);
      return;
    }
  }
  crt_raise(signum);
}
