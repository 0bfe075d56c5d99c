/*
 * chain.c: several handlers per signal (SPEC 6.2): sigport_add_handler()
 * and sigport_remove_handler(), running them at dispatch, and noticing a
 * chained action that took the signal away.
 *
 * The lists are the main thread's: it adds, removes and runs them, so a
 * handler may add or remove handlers while dispatch walks the list. What
 * other threads look at (the counts that decide whether a signal is held,
 * when a watch closes) changes under the lock.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend.h"
#include "internal.h"

#define SP_ADD_FLAGS \
  (SIGPORT_ADD_CHAIN | SIGPORT_ADD_ONESHOT | SIGPORT_ADD_IF_DEFAULT)

struct sp_added {
  struct sp_added *next;
  uint64_t id;
  sigport_handler_fn fn;
  void *arg;
  unsigned flags;
};

/* Each signal's handlers, in the order they were added (ascending ids). */
static struct sp_added *lists[SIGPORT_NSIG];
/* The last id given. Never reset, so that an id is never given twice in
   the life of the process. */
static uint64_t last_id;

static int is_special(sigport_handler_fn fn) {
  return fn == SIGPORT_SIG_DFL || fn == SIGPORT_SIG_IGN ||
         fn == SIGPORT_SIG_EXTERNAL;
}

/* The counts of an added or removed handler. Under the lock. */
static void count(int signum, const struct sp_added *a, int delta) {
  struct sp_sig *sig = &sp__state.sig[signum];
  sig->nhandlers += delta;
  if (a->flags & SIGPORT_ADD_CHAIN) {
    sig->nchain += delta;
    if (delta > 0 && sig->nchain == 1) sig->chain_reported = 0;
    atomic_store_explicit(&sig->chain_on, sig->nchain > 0, SP_RELEASE);
  }
}

int sigport_add_handler(int signum, sigport_handler_fn fn, void *arg,
                        unsigned flags, uint64_t *id) {
  static const char name[] = "sigport_add_handler";
  struct sp_sig *sig;
  struct sp_added *a, **tail;
  int held;
  int rc = sp__check_range(signum, name);
  if (rc == 0 && (flags & ~(unsigned)SP_ADD_FLAGS))
    rc = sp__fail(SIGPORT_EVALUE, "%s: unknown flags 0x%x", name,
                  flags & ~(unsigned)SP_ADD_FLAGS);
  if (rc == 0 && fn == NULL)
    rc = sp__fail(SIGPORT_EVALUE, "%s: fn must not be NULL (SIG_DFL)", name);
  if (rc == 0 && is_special(fn))
    rc = sp__fail(SIGPORT_EVALUE,
                  "%s: fn must be a function, not SIGPORT_SIG_%s", name,
                  fn == SIGPORT_SIG_IGN ? "IGN" : "EXTERNAL");
  if (rc == 0) rc = sp__check_ptr(id, name, "id");
  if (rc == 0) rc = sp__backend_check_settable(signum, name);
  if (rc == 0) rc = sp__check_main(name);
  if (rc == 0 && (flags & SIGPORT_ADD_CHAIN))
    rc = sp__backend_check_chain(name);
  if (rc != 0) return rc;

  a = sp__malloc(sizeof *a);
  if (a == NULL)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory", name);
  a->next = NULL;
  a->fn = fn;
  a->arg = arg;
  a->flags = flags;

  sig = &sp__state.sig[signum];
  /* The dispatch thread walks the lists under the dispatch lock. */
  held = sp__dthread_hold();
  sp__backend_lock();
  if (flags & SIGPORT_ADD_IF_DEFAULT) {
    sigport_handler_fn primary = atomic_load_explicit(&sig->fn, SP_RELAXED);
    if (sig->nhandlers > 0 || sig->watchers > 0 || !is_special(primary) ||
        sp__backend_get_disposition(signum) != SP_DISP_DFL) {
      sp__backend_unlock();
      sp__dthread_release(held);
      free(a);
      return sp__fail(SIGPORT_EVALUE,
                      "%s: signal %d is handled already "
                      "(SIGPORT_ADD_IF_DEFAULT)",
                      name, signum);
    }
  }
  rc = sp__hold(signum);
  if (rc != 0) {
    sp__backend_unlock();
    sp__dthread_release(held);
    free(a);
    return rc;
  }
  a->id = ++last_id;
  for (tail = &lists[signum]; *tail != NULL; tail = &(*tail)->next) {
  }
  *tail = a;
  count(signum, a, 1);
  sp__release(signum); /* only brings `dispatched` up to date here */
  sp__backend_unlock();
  sp__dthread_release(held);
  *id = a->id;
  return 0;
}

/* Unlinks the handler with this id, or returns NULL; its signal in
   *signum. Main thread. */
static struct sp_added *unlink_id(uint64_t id, int *signum) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    struct sp_added **p;
    for (p = &lists[s]; *p != NULL; p = &(*p)->next) {
      if ((*p)->id == id) {
        struct sp_added *a = *p;
        *p = a->next;
        *signum = s;
        return a;
      }
    }
  }
  return NULL;
}

/* Removes a handler found by unlink_id(): its counts, then the signal is
   given back if nothing else holds it. */
static void drop(int signum, struct sp_added *a) {
  sp__backend_lock();
  count(signum, a, -1);
  sp__release(signum);
  sp__backend_unlock();
  free(a);
}

int sigport_remove_handler(uint64_t id) {
  static const char name[] = "sigport_remove_handler";
  struct sp_added *a;
  int signum = 0, held;
  int rc = sp__check_main(name);
  if (rc != 0) return rc;
  held = sp__dthread_hold();
  a = unlink_id(id, &signum);
  if (a == NULL) {
    sp__dthread_release(held);
    return sp__fail(SIGPORT_EVALUE,
                    "%s: no handler has the id %llu (never added, or "
                    "removed already)",
                    name, (unsigned long long)id);
  }
  drop(signum, a);
  sp__dthread_release(held);
  return 0;
}

int sp__added_run(int signum, const sigport_siginfo_t *info) {
  /* Those added by a handler during this run wait for the next delivery;
     one removed during it is not run. The list is walked by id, so that a
     handler may change it. */
  uint64_t last = 0, newest = last_id;
  int result = 0;
  for (;;) {
    struct sp_added *a;
    sigport_handler_fn fn;
    void *arg;
    int r;
    for (a = lists[signum]; a != NULL && a->id <= last; a = a->next) {
    }
    if (a == NULL || a->id > newest) break;
    last = a->id;
    fn = a->fn;
    arg = a->arg;
    if (a->flags & SIGPORT_ADD_ONESHOT) {
      int s;
      /* Removed as it runs: the handler may add itself again. */
      (void)unlink_id(a->id, &s);
      drop(signum, a);
    }
    r = fn(signum, info, arg);
    if (result == 0) result = r;
  }
  return result;
}

void sp__added_check_chain(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  const char *name;
  if (sig->nchain == 0 || sig->chain_reported) return;
  if (sp__backend_get_disposition(signum) == SP_DISP_TRIP) return;
  sig->chain_reported = 1;
  name = sigport_signame(signum);
  fprintf(stderr,
          "sigport: the action chained for %s changed its disposition; "
          "sigport no longer receives it\n",
          name != NULL ? name : "a signal");
  fflush(stderr);
}

void sp__added_clear_all(void) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    while (lists[s] != NULL) {
      struct sp_added *a = lists[s];
      lists[s] = a->next;
      free(a);
    }
  }
}
