/*
 * handlers.c: sigport_signal(), sigport_getsignal(), the default SIGINT
 * handler, and giving a signal back.
 */
#include "backend.h"
#include "internal.h"

static int is_special(sigport_handler_fn fn) {
  return fn == SIGPORT_SIG_DFL || fn == SIGPORT_SIG_IGN ||
         fn == SIGPORT_SIG_EXTERNAL;
}

/* The child watches hold this signal (SIGCHLD). Under the lock. */
static int children_hold(const struct sp_sig *sig) {
#if defined(SIGPORT_SIGCHLD)
  return sp__state.child_hold && sig == &sp__state.sig[SIGPORT_SIGCHLD];
#else
  (void)sig;
  return 0;
#endif
}

/* Something besides the primary handler holds signum: a watch, an added
   handler or the child watches. Under the lock. */
static int held(const struct sp_sig *sig) {
  return sig->watchers > 0 || sig->nhandlers > 0 || children_hold(sig);
}

/* Whether the trip counts signum's deliveries for dispatch. Under the
   lock. */
static void update_dispatched(struct sp_sig *sig) {
  sigport_handler_fn fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
  atomic_store_explicit(
      &sig->dispatched,
      !is_special(fn) || sig->nhandlers > 0 || children_hold(sig), SP_RELAXED);
}

/* What sigport_getsignal() reports for a signal whose primary handler is
   none (SIG_EXTERNAL) while a watch or an added handler holds it: what was
   there before sigport took it, which is what the primary slot still
   has. */
static sigport_handler_fn held_report(int signum) {
  switch (sp__backend_saved_disposition(signum)) {
    case SP_DISP_DFL:
      return SIGPORT_SIG_DFL;
    case SP_DISP_IGN:
      return SIGPORT_SIG_IGN;
    default:
      return SIGPORT_SIG_EXTERNAL;
  }
}

/* What getsignal reports, from the system's disposition and the table. */
static void current_handler(int signum, sigport_handler_t *out) {
  struct sp_sig *sig = &sp__state.sig[signum];
  out->arg = NULL;
  switch (sp__backend_get_disposition(signum)) {
    case SP_DISP_DFL:
      out->fn = SIGPORT_SIG_DFL;
      break;
    case SP_DISP_IGN:
      out->fn = SIGPORT_SIG_IGN;
      break;
    case SP_DISP_TRIP:
      sp__backend_lock();
      out->fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
      if (!is_special(out->fn)) {
        out->arg = atomic_load_explicit(&sig->arg, SP_RELAXED);
      } else if (!held(sig)) {
        /* A delivery raced a change: the trip is on its way out. */
        out->fn = SIGPORT_SIG_EXTERNAL;
      } else if (out->fn == SIGPORT_SIG_EXTERNAL) {
        out->fn = held_report(signum);
      }
      sp__backend_unlock();
      break;
    default:
      out->fn = SIGPORT_SIG_EXTERNAL;
      break;
  }
}

int sigport_getsignal(int signum, sigport_handler_t *current) {
  int rc = sp__check_range(signum, "sigport_getsignal");
  if (rc == 0) rc = sp__check_ptr(current, "sigport_getsignal", "current");
  if (rc == 0) rc = sp__backend_check_gettable(signum, "sigport_getsignal");
  if (rc != 0) return rc;
  current_handler(signum, current);
  return 0;
}

/* Gives signum back: the disposition saved when sigport first took it is
   put back. Nothing to do if sigport never took it. While a watch or an
   added handler holds it, only the primary handler is cleared. Under the
   lock. */
static int give_back(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  int rc;
  if (held(sig)) {
    atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
    atomic_store_explicit(&sig->arg, NULL, SP_RELAXED);
    update_dispatched(sig);
    return 0;
  }
  if (atomic_load_explicit(&sig->ours, SP_RELAXED) == SP_DISP_NONE) {
    atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
    update_dispatched(sig);
    return 0;
  }
  rc = sp__backend_restore_original(signum);
  if (rc != 0) return rc;
  atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
  atomic_store_explicit(&sig->arg, NULL, SP_RELAXED);
  atomic_store_explicit(&sig->ours, SP_DISP_NONE, SP_RELAXED);
  update_dispatched(sig);
  return 0;
}

/* Sets the disposition and then the table. For a handler the table is
   written first, so a delivery that arrives as soon as the trip is
   installed finds its handler. SIG_DFL and SIG_IGN only clear the primary
   handler while a watch or an added handler holds the signal: the trip
   stays. Under the lock. */
static int install(int signum, sigport_handler_fn fn, void *arg) {
  struct sp_sig *sig = &sp__state.sig[signum];
  int disp = fn == SIGPORT_SIG_DFL   ? SP_DISP_DFL
             : fn == SIGPORT_SIG_IGN ? SP_DISP_IGN
                                     : SP_DISP_TRIP;
  sigport_handler_fn old_fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
  void *old_arg = atomic_load_explicit(&sig->arg, SP_RELAXED);
  int rc;
  atomic_store_explicit(&sig->arg, disp == SP_DISP_TRIP ? arg : NULL,
                        SP_RELAXED);
  atomic_store_explicit(&sig->fn, fn, SP_RELEASE);
  update_dispatched(sig);
  if (disp != SP_DISP_TRIP && held(sig)) return 0;
  rc = sp__backend_set_disposition(signum, disp);
  if (rc != 0) {
    atomic_store_explicit(&sig->fn, old_fn, SP_RELAXED);
    atomic_store_explicit(&sig->arg, old_arg, SP_RELAXED);
    update_dispatched(sig);
    return rc;
  }
  atomic_store_explicit(&sig->ours, disp, SP_RELAXED);
  return 0;
}

int sp__set_handler(int signum, sigport_handler_fn fn, void *arg) {
  int rc;
  sp__backend_lock();
  rc = fn == SIGPORT_SIG_EXTERNAL ? give_back(signum)
                                  : install(signum, fn, arg);
  sp__backend_unlock();
  return rc;
}

int sp__hold(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  int rc;
  if (atomic_load_explicit(&sig->ours, SP_RELAXED) == SP_DISP_TRIP &&
      sp__backend_get_disposition(signum) == SP_DISP_TRIP)
    return 0;
  rc = sp__backend_set_disposition(signum, SP_DISP_TRIP);
  if (rc != 0) return rc;
  atomic_store_explicit(&sig->ours, SP_DISP_TRIP, SP_RELAXED);
  return 0;
}

int sp__children_hold(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  int rc;
  sp__state.child_hold = 1;
  rc = sp__hold(signum);
  if (rc != 0) sp__state.child_hold = 0;
  update_dispatched(sig);
  return rc;
}

void sp__children_release(int signum) {
  sp__state.child_hold = 0;
  sp__release(signum);
}

void sp__release(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  sigport_handler_fn fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
  update_dispatched(sig);
  if (held(sig) || !is_special(fn)) return;
  if (atomic_load_explicit(&sig->ours, SP_RELAXED) != SP_DISP_TRIP) return;
  if (sp__backend_get_disposition(signum) != SP_DISP_TRIP) {
    /* Someone else's action replaced the trip: it stays, and what
       sigport saved is forgotten. */
    sp__backend_forget_original(signum);
    atomic_store_explicit(&sig->ours, SP_DISP_NONE, SP_RELAXED);
    atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
    return;
  }
  if (fn == SIGPORT_SIG_DFL || fn == SIGPORT_SIG_IGN) {
    /* The primary handler was set to SIG_DFL or SIG_IGN meanwhile. */
    int disp = fn == SIGPORT_SIG_DFL ? SP_DISP_DFL : SP_DISP_IGN;
    if (sp__backend_set_disposition(signum, disp) == 0)
      atomic_store_explicit(&sig->ours, disp, SP_RELAXED);
    return;
  }
  if (sp__backend_restore_original(signum) == 0)
    atomic_store_explicit(&sig->ours, SP_DISP_NONE, SP_RELAXED);
}

int sigport_signal(int signum, sigport_handler_fn fn, void *arg,
                   sigport_handler_t *previous) {
  sigport_handler_t before;
  int rc, result, held;
  rc = sp__check_range(signum, "sigport_signal");
  if (rc == 0) rc = sp__backend_check_settable(signum, "sigport_signal");
  if (rc == 0) rc = sp__check_main("sigport_signal");
  if (rc != 0) return rc;

  /* Deliveries already recorded belong to the old handler. Inside a
     handler the outer dispatch has taken the pending flag, so a delivery
     it has not reached yet stays its own (and is dropped if this call
     resets the handler), as in Python. While the dispatch thread runs,
     they are its own: it runs each with the handler in place when it
     takes it, and waits (the dispatch lock) while this call changes it,
     so that it never sees the new fn with the old arg. */
  held = sp__dthread_hold();
  result = sigport_pending() && !held ? sp__dispatch_one(signum) : 0;

  current_handler(signum, &before);
  rc = sp__set_handler(signum, fn, arg);
  sp__dthread_release(held);
  if (rc != 0) return rc;
  if (previous != NULL) *previous = before;
  return result;
}

int sigport_default_int_handler(int signum, const sigport_siginfo_t *info,
                                void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  return SIGPORT_EKEYBOARDINTERRUPT;
}
