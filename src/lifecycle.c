/*
 * lifecycle.c: sigport_init() and sigport_shutdown(), pausing, and the
 * wakeup fd.
 */
#include <stdio.h>

#include "backend.h"
#include "internal.h"
#include "child.h"
#include "watch.h"

#define SP_VERSION "0.1.0"
#define SP_INIT_FLAGS (SIGPORT_INIT_DEFAULTS | SIGPORT_INIT_RESTART)

const char *sigport_version(void) { return SP_VERSION; }

const char *sigport_backend_name(void) { return sp__backend_name(); }

int sp__check_main(const char *fn) {
  if (!sp__initialised())
    return sp__fail(SIGPORT_EVALUE,
                    "%s: sigport is not initialised: call sigport_init() first",
                    fn);
  if (!sp__is_main_thread())
    return sp__fail(SIGPORT_EVALUE, "%s only works in the main thread", fn);
  return 0;
}

/* Python's start-up defaults. */
static int apply_defaults(void) {
  const int *ignored = sp__backend_default_ignored();
  int rc;
  for (; *ignored != 0; ignored++) {
    rc = sp__set_handler(*ignored, SIGPORT_SIG_IGN, NULL);
    if (rc != 0) return rc;
  }
  if (sp__backend_get_disposition(SIGPORT_SIGINT) == SP_DISP_DFL)
    return sp__set_handler(SIGPORT_SIGINT, sigport_default_int_handler, NULL);
  return 0;
}

/* Puts back every disposition sigport set and still has in place, and
   forgets the others. Where the trip was replaced, a trip that starts too
   late raises the signal again (raise_late). */
static void restore_all(void) {
  int s;
  sp__backend_lock();
  sp__child_shutdown();
  sp__watch_detach_all();
  for (s = 1; s < SIGPORT_NSIG; s++) {
    struct sp_sig *sig = &sp__state.sig[s];
    int ours = atomic_load_explicit(&sig->ours, SP_RELAXED), given_back = 0;
    if (ours == SP_DISP_NONE) continue;
    if (sp__backend_get_disposition(s) == ours)
      given_back = sp__backend_restore_original(s) == 0;
    else
      sp__backend_forget_original(s);
    atomic_store_explicit(&sig->raise_late, given_back && ours == SP_DISP_TRIP,
                          SP_RELAXED);
    atomic_store_explicit(&sig->ours, SP_DISP_NONE, SP_RELAXED);
    atomic_store_explicit(&sig->fn, SIGPORT_SIG_EXTERNAL, SP_RELAXED);
    atomic_store_explicit(&sig->arg, NULL, SP_RELAXED);
  }
  sp__added_clear_all();
  sp__state.child_hold = 0;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    struct sp_sig *sig = &sp__state.sig[s];
    atomic_store_explicit(&sig->dispatched, 0, SP_RELAXED);
    atomic_store_explicit(&sig->chain_on, 0, SP_RELAXED);
    sig->watchers = sig->nhandlers = sig->nchain = 0;
    sig->chain_reported = 0;
  }
  sp__backend_unlock();
}

int sigport_init(unsigned flags) {
  int rc, s;
  if (flags & ~(unsigned)SP_INIT_FLAGS)
    return sp__fail(SIGPORT_EVALUE, "sigport_init: unknown flags 0x%x",
                    flags & ~(unsigned)SP_INIT_FLAGS);
  if (sp__initialised()) {
    if (!sp__is_main_thread())
      return sp__fail(SIGPORT_EVALUE,
                      "sigport_init only works in the main thread (the "
                      "thread of the first sigport_init())");
    atomic_fetch_add_explicit(&sp__state.init_count, 1, SP_RELAXED);
    return 0;
  }
  for (s = 0; s < SIGPORT_NSIG; s++) {
    atomic_store_explicit(&sp__state.sig[s].ours, SP_DISP_NONE, SP_RELAXED);
    /* No primary handler: sigport has not set one. */
    atomic_store_explicit(&sp__state.sig[s].fn, SIGPORT_SIG_EXTERNAL,
                          SP_RELAXED);
  }
  sp__state_reset_deliveries();
  sp__state.init_flags = flags;
  sp__set_main_thread();
  rc = sp__backend_init(flags);
  if (rc != 0) return rc;
  atomic_store_explicit(&sp__state.live, 1, SP_SEQ_CST);
  atomic_store_explicit(&sp__state.init_count, 1, SP_RELEASE);
  if (flags & SIGPORT_INIT_DEFAULTS) {
    rc = apply_defaults();
    if (rc != 0) {
      restore_all();
      atomic_store_explicit(&sp__state.live, 0, SP_SEQ_CST);
      sp__state_wait_for_trips_unlocked();
      atomic_store_explicit(&sp__state.init_count, 0, SP_RELEASE);
      sp__backend_shutdown();
      return rc;
    }
  }
  return 0;
}

void sigport_shutdown(void) {
  int s;
  unsigned char handled[SIGPORT_NSIG];
  unsigned long left[SIGPORT_NSIG];
  if (!sp__initialised() || !sp__is_main_thread()) return;
  /* The last shutdown stops the dispatch thread first, while sigport is
     still whole for its handlers; its result is dropped. */
  if (atomic_load_explicit(&sp__state.init_count, SP_RELAXED) == 1)
    sp__dthread_shutdown();
  if (atomic_fetch_sub_explicit(&sp__state.init_count, 1, SP_ACQ_REL) > 1)
    return;
  atomic_store_explicit(&sp__state.wakeup_fd, (intptr_t)SIGPORT_NO_SOCKET,
                        SP_SEQ_CST);
  for (s = 1; s < SIGPORT_NSIG; s++) {
    sigport_handler_fn fn =
        atomic_load_explicit(&sp__state.sig[s].fn, SP_RELAXED);
    handled[s] = (fn != SIGPORT_SIG_DFL && fn != SIGPORT_SIG_IGN &&
                  fn != SIGPORT_SIG_EXTERNAL) ||
                 sp__state.sig[s].nhandlers > 0;
  }
  restore_all();
  /* A trip from now on records nothing (and raises the signal again where
     the trip was given back); one that started before has been counted
     as running, and is waited for. */
  atomic_store_explicit(&sp__state.live, 0, SP_SEQ_CST);
  sp__state_wait_for_trips_unlocked();
  /* What arrived and was never dispatched is raised again under the
     restored disposition, so that it is not swallowed. */
  for (s = 1; s < SIGPORT_NSIG; s++)
    left[s] = atomic_exchange_explicit(&sp__state.sig[s].count, 0, SP_ACQ_REL);
  sp__state_reset_deliveries();
  sp__backend_shutdown();
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (left[s] != 0 && handled[s]) sp__backend_raise_raw(s);
}

int sigport_pause(void) {
  int rc = sp__check_main("sigport_pause");
  if (rc != 0) return rc;
  if (sp__dthread_on()) return sp__dthread_refuse("sigport_pause");
  if (!atomic_load_explicit(&sigport__pending_flag, SP_RELAXED)) {
    /* The other side of the trip's Dekker pair: an exchange, as there. */
    (void)atomic_exchange_explicit(&sp__state.sleeping, 1, SP_SEQ_CST);
    while (!atomic_load_explicit(&sigport__pending_flag, SP_SEQ_CST)) {
      rc = sp__backend_pause_wait();
      if (rc != 0) break;
    }
    atomic_store_explicit(&sp__state.sleeping, 0, SP_SEQ_CST);
    if (rc != 0) return rc;
  }
  return sigport_dispatch();
}

int sigport_set_wakeup_fd(sigport_socket_t fd, unsigned flags,
                          sigport_socket_t *old) {
  intptr_t previous;
  int rc;
  if (flags & ~(unsigned)SIGPORT_WAKEUP_NO_WARN)
    return sp__fail(SIGPORT_EVALUE, "sigport_set_wakeup_fd: unknown flags 0x%x",
                    flags & ~(unsigned)SIGPORT_WAKEUP_NO_WARN);
  rc = sp__check_main("sigport_set_wakeup_fd");
  if (rc == 0 && fd != SIGPORT_NO_SOCKET) rc = sp__backend_check_wakeup_fd(fd);
  if (rc != 0) return rc;
  atomic_store_explicit(&sp__state.wakeup_flags, flags, SP_RELAXED);
  previous = atomic_exchange_explicit(&sp__state.wakeup_fd, (intptr_t)fd,
                                      SP_SEQ_CST);
  /* A trip that read the old fd may still be writing to it. */
  sp__state_wait_for_trips_unlocked();
  if (old != NULL) *old = (sigport_socket_t)previous;
  return 0;
}

sigport_socket_t sigport_get_wakeup_fd(void) {
  if (!sp__initialised()) return SIGPORT_NO_SOCKET;
  return (sigport_socket_t)atomic_load_explicit(&sp__state.wakeup_fd,
                                                SP_RELAXED);
}
