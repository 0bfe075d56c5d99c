/*
 * actions.c: dispositions through sigaction(), the raw handler, and
 * siginterrupt().
 */
#include <errno.h>
#include <string.h>

#include "posix.h"
#include "../trip.h"

/* The disposition each signal had when sigport first touched it. Written
   on the main thread; read by restore_for_exec in a fork() child. */
static struct sigaction saved[SIGPORT_NSIG];
static unsigned char has_saved[SIGPORT_NSIG];
/* Install the raw handler with SA_RESTART: SIGPORT_INIT_RESTART. Each
   installation by sigport_signal() gets this choice, as Python's signal()
   resets siginterrupt(); siginterrupt() changes the installed action. */
static int restart_default;

/* The saved action as the trip calls it (SIGPORT_ADD_CHAIN): a copy of
   saved[] in atomics, since a trip on another thread may read it while the
   main thread saves or forgets. */
typedef void (*sp_sigaction_fn)(int, siginfo_t *, void *);
typedef void (*sp_handler_fn)(int);
enum { SP_CHAIN_NONE, SP_CHAIN_HANDLER, SP_CHAIN_SIGINFO };
static sp_atomic_int chain_kind[SIGPORT_NSIG];
static _Atomic(sp_sigaction_fn) chain_sigaction[SIGPORT_NSIG];
static _Atomic(sp_handler_fn) chain_handler[SIGPORT_NSIG];

static void set_chain(int signum, const struct sigaction *sa) {
  int kind = SP_CHAIN_NONE;
  if (sa == NULL) {
  } else if (sa->sa_flags & SA_SIGINFO) {
    /* An SA_SIGINFO action of sigport's own (from an earlier session that
       someone else saved and put back) is never chained to. */
    if (sa->sa_sigaction != NULL && sa->sa_sigaction != sp__posix_raw_handler) {
      atomic_store_explicit(&chain_sigaction[signum], sa->sa_sigaction,
                            SP_RELAXED);
      kind = SP_CHAIN_SIGINFO;
    }
  } else if (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN) {
    atomic_store_explicit(&chain_handler[signum], sa->sa_handler, SP_RELAXED);
    kind = SP_CHAIN_HANDLER;
  }
  atomic_store_explicit(&chain_kind[signum], kind, SP_RELEASE);
}

/* Calls the saved action of signum if an added handler asked for it and
   there is a function to call: 1 if it was called. */
static SP_COLD int chain_call(int signum, siginfo_t *si, void *context) {
  int kind, saved_errno;
  kind = atomic_load_explicit(&chain_kind[signum], SP_ACQUIRE);
  /* The chained action may change errno. */
  saved_errno = errno;
  if (kind == SP_CHAIN_SIGINFO) {
    atomic_load_explicit(&chain_sigaction[signum], SP_RELAXED)(signum, si,
                                                               context);
  } else if (kind == SP_CHAIN_HANDLER) {
    atomic_load_explicit(&chain_handler[signum], SP_RELAXED)(signum);
  }
  errno = saved_errno;
  return kind == SP_CHAIN_SIGINFO || kind == SP_CHAIN_HANDLER;
}

static inline int chain(int signum, siginfo_t *si, void *context) {
  if (!atomic_load_explicit(&sp__state.sig[signum].chain_on, SP_ACQUIRE))
    return 0;
  return chain_call(signum, si, context);
}

int sp__posix_code_is_user(int code) {
#if defined(__linux__)
  /* Linux: SI_USER is 0 and every sender's code is negative (SI_QUEUE,
     SI_TKILL, SI_MESGQ, SI_TIMER, SI_ASYNCIO); the kernel's are positive. */
  return code <= 0;
#else
  return code == SI_USER || code == SI_QUEUE || code == SI_TIMER ||
         code == SI_MESGQ || code == SI_ASYNCIO
#ifdef SI_LWP
         || code == SI_LWP
#endif
#ifdef SI_NOINFO
         || code == SI_NOINFO
#endif
      ;
#endif
}

static int is_fault_signal(int signum) {
  return signum == SIGSEGV || signum == SIGBUS || signum == SIGFPE ||
         signum == SIGILL;
}

/* A real fault: it cannot be deferred, since returning would run the
   faulting instruction again for ever. A chained action gets it as if
   sigport were not there: it fixes the fault or ends the process.
   Otherwise, with the default action back, the instruction runs once more
   and ends the process as it would have without sigport. Out of line, so
   that its struct sigaction is not in the frame of every delivery. */
static SP_COLD void fault(int signum, siginfo_t *si, void *context) {
  struct sigaction dfl;
  int saved_errno;
  if (chain(signum, si, context)) return;
  saved_errno = errno;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signum, &dfl, NULL);
  errno = saved_errno;
}

/* errno comes out as it went in: saved around each call that may change
   it, here, in chain() and in the trip, and not touched on the path that
   makes no call. */
void sp__posix_raw_handler(int signum, siginfo_t *si, void *context) {
  struct sp_record rec;
  int rc;
  if (SP_UNLIKELY(is_fault_signal(signum) && si != NULL &&
                  !sp__posix_code_is_user(si->si_code))) {
    fault(signum, si, context);
    return;
  }
  /* Every field is set on each path: no memset on the hot path. */
  if (si != NULL) {
    rec.code = si->si_code;
    rec.errnum = si->si_errno;
    rec.pid = (unsigned)si->si_pid;
    rec.uid = (unsigned)si->si_uid;
    if (!SP_EXTRA_ANY(signum))
      rec.extra = 0;
    else if (SP_EXTRA_IS_STATUS(signum))
      rec.extra = si->si_status;
#if defined(SIGPOLL)
    else if (SP_EXTRA_IS_BAND(signum))
      rec.extra = (intptr_t)si->si_band;
#endif
    else if (SP_EXTRA_IS_ADDR(signum))
      rec.extra = (intptr_t)si->si_addr;
    else
      rec.extra = 0;
    if (sp__posix_code_has_value(si->si_code)) {
      rec.value = (intptr_t)si->si_value.sival_ptr;
    } else {
      rec.value = 0;
    }
  } else {
    rec.code = rec.errnum = 0;
    rec.pid = rec.uid = 0;
    rec.value = 0;
    rec.extra = 0;
  }
  /* Not recorded: sigport_shutdown() gave the disposition back after the
     kernel chose this handler. Raised again, it goes to the restored
     disposition once this handler returns. */
  rc = sp__trip(signum, &rec);
  if (rc > 0) {
    int saved_errno = errno;
    raise(signum);
    errno = saved_errno;
  } else if (rc == 0) {
    (void)chain(signum, si, context);
  }
}

int sp__posix_saved(int signum, struct sigaction *out) {
  if (!has_saved[signum]) return 0;
  *out = saved[signum];
  return 1;
}

/* Fills a sigaction for a disposition. */
static void make_action(int disp, struct sigaction *sa) {
  memset(sa, 0, sizeof *sa);
  /* Every signal is blocked while the trip runs, so trips never nest on
     one thread, and no cancellation request stops one half way. */
  sp__posix_fill_trip_mask(&sa->sa_mask);
  if (disp == SP_DISP_TRIP) {
    sa->sa_sigaction = sp__posix_raw_handler;
    sa->sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (restart_default) sa->sa_flags |= SA_RESTART;
  } else {
    sa->sa_handler = disp == SP_DISP_IGN ? SIG_IGN : SIG_DFL;
  }
}

int sp__backend_set_disposition(int signum, int disp) {
  struct sigaction sa;
  int fresh = 0;
  if (!has_saved[signum]) {
    if (sp__sys_sigaction(signum, NULL, &saved[signum]) != 0)
      return sp__fail_os(SIGPORT_EOS, errno, "sigaction(%d)", signum);
    has_saved[signum] = 1;
    set_chain(signum, &saved[signum]);
    fresh = 1;
  }
  make_action(disp, &sa);
  if (sp__sys_sigaction(signum, &sa, NULL) != 0) {
    int err = errno;
    /* Nothing was installed, so nothing is saved: an action set outside
       sigport before the next try is the one that try must save. */
    if (fresh) sp__backend_forget_original(signum);
    return sp__fail_os(SIGPORT_EOS, err, "sigaction(%d)", signum);
  }
  return 0;
}

int sp__backend_get_disposition(int signum) {
  struct sigaction cur;
  if (sigaction(signum, NULL, &cur) != 0) return SP_DISP_FOREIGN;
  if ((cur.sa_flags & SA_SIGINFO) &&
      cur.sa_sigaction == sp__posix_raw_handler)
    return SP_DISP_TRIP;
  if (cur.sa_handler == SIG_DFL) return SP_DISP_DFL;
  if (cur.sa_handler == SIG_IGN) return SP_DISP_IGN;
  return SP_DISP_FOREIGN;
}

int sp__backend_restore_original(int signum) {
  if (!has_saved[signum]) return 0;
  if (sp__sys_sigaction(signum, &saved[signum], NULL) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigaction(%d)", signum);
  has_saved[signum] = 0;
  set_chain(signum, NULL);
  return 0;
}

void sp__backend_forget_original(int signum) {
  has_saved[signum] = 0;
  set_chain(signum, NULL);
}

int sp__backend_saved_disposition(int signum) {
  const struct sigaction *sa = &saved[signum];
  if (!has_saved[signum]) return SP_DISP_NONE;
  if (sa->sa_flags & SA_SIGINFO) return SP_DISP_FOREIGN;
  if (sa->sa_handler == SIG_DFL) return SP_DISP_DFL;
  if (sa->sa_handler == SIG_IGN) return SP_DISP_IGN;
  return SP_DISP_FOREIGN;
}

int sp__backend_check_chain(const char *fn) {
  (void)fn;
  return 0;
}

void sp__posix_actions_init(unsigned flags) {
  restart_default = (flags & SIGPORT_INIT_RESTART) ? 1 : 0;
}

int sigport_siginterrupt(int signum, int flag) {
  struct sigaction cur;
  int rc = sp__check_range(signum, "sigport_siginterrupt");
  if (rc != 0) return rc;
  if (sigaction(signum, NULL, &cur) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_siginterrupt(%d)", signum);
  if (flag)
    cur.sa_flags &= ~SA_RESTART;
  else
    cur.sa_flags |= SA_RESTART;
  if (sigaction(signum, &cur, NULL) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_siginterrupt(%d)", signum);
  return 0;
}

void sp__posix_to_sigset(const sigport_sigset_t *in, sigset_t *out) {
  int s;
  sigemptyset(out);
  for (s = 1; s < SIGPORT_NSIG; s++)
    if ((in->bits[s / 64] >> (s % 64)) & 1) (void)sigaddset(out, s);
}

void sp__posix_from_sigset(const sigset_t *in, sigport_sigset_t *out) {
  int s;
  out->bits[0] = out->bits[1] = 0;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (sigismember(in, s) == 1) out->bits[s / 64] |= (uint64_t)1 << (s % 64);
}
