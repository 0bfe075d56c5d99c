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
      out->fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
      if (is_special(out->fn)) {
        out->fn = SIGPORT_SIG_EXTERNAL;
      } else {
        out->arg = atomic_load_explicit(&sig->arg, SP_RELAXED);
      }
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
   put back. Nothing to do if sigport never took it. */
static int give_back(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  int rc;
  if (atomic_load_explicit(&sig->ours, SP_RELAXED) == SP_DISP_NONE) return 0;
  rc = sp__backend_restore_original(signum);
  if (rc != 0) return rc;
  atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
  atomic_store_explicit(&sig->arg, NULL, SP_RELAXED);
  atomic_store_explicit(&sig->ours, SP_DISP_NONE, SP_RELAXED);
  return 0;
}

/* Sets the disposition and then the table. For a handler the table is
   written first, so a delivery that arrives as soon as the trip is
   installed finds its handler. */
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
  rc = sp__backend_set_disposition(signum, disp);
  if (rc != 0) {
    atomic_store_explicit(&sig->fn, old_fn, SP_RELAXED);
    atomic_store_explicit(&sig->arg, old_arg, SP_RELAXED);
    return rc;
  }
  atomic_store_explicit(&sig->ours, disp, SP_RELAXED);
  return 0;
}

int sp__set_handler(int signum, sigport_handler_fn fn, void *arg) {
  return fn == SIGPORT_SIG_EXTERNAL ? give_back(signum)
                                    : install(signum, fn, arg);
}

int sigport_signal(int signum, sigport_handler_fn fn, void *arg,
                   sigport_handler_t *previous) {
  sigport_handler_t before;
  int rc, result;
  rc = sp__check_range(signum, "sigport_signal");
  if (rc == 0) rc = sp__backend_check_settable(signum, "sigport_signal");
  if (rc == 0) rc = sp__check_main("sigport_signal");
  if (rc != 0) return rc;

  /* Deliveries already recorded belong to the old handler. Inside a
     handler the outer dispatch has taken the pending flag, so a delivery
     it has not reached yet stays its own (and is dropped if this call
     resets the handler), as in Python. */
  result = sigport_pending() ? sp__dispatch_one(signum) : 0;

  current_handler(signum, &before);
  rc = sp__set_handler(signum, fn, arg);
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
