/*
 * masks.c: the calling thread's signal mask, the pending set, and the
 * synchronous waits (sigwait, sigwaitinfo, sigtimedwait).
 *
 * The waits must see EINTR, so that a signal outside the set with a
 * sigport handler is dispatched while the wait goes on (PEP 475). glibc's
 * sigwait() and musl's sigtimedwait() retry EINTR inside the C library, so
 * on Linux the system call rt_sigtimedwait is made directly (sys.c).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "posix.h"

/* Checks a set argument and converts it. */
static int get_set(const sigport_sigset_t *in, const char *fn,
                   const char *param, sigset_t *out) {
  int rc = sp__check_ptr(in, fn, param);
  if (rc == 0) rc = sp__check_set_members(in, fn);
  if (rc == 0) sp__posix_to_sigset(in, out);
  return rc;
}

int sigport_pthread_sigmask(int how, const sigport_sigset_t *mask,
                            sigport_sigset_t *old) {
  static const char fn[] = "sigport_pthread_sigmask";
  sigset_t set, previous;
  int native, rc;
  switch (how) {
    case SIGPORT_SIG_BLOCK:
      native = SIG_BLOCK;
      break;
    case SIGPORT_SIG_UNBLOCK:
      native = SIG_UNBLOCK;
      break;
    case SIGPORT_SIG_SETMASK:
      native = SIG_SETMASK;
      break;
    default:
      return sp__fail(SIGPORT_EVALUE,
                      "%s: invalid how %d (expected SIGPORT_SIG_BLOCK, "
                      "SIGPORT_SIG_UNBLOCK or SIGPORT_SIG_SETMASK)",
                      fn, how);
  }
  rc = get_set(mask, fn, "mask", &set);
  if (rc != 0) return rc;
  /* A signal that this unblocks and that is pending runs its trip during
     the system call, before it returns. */
  rc = pthread_sigmask(native, &set, &previous);
  if (rc != 0) return sp__fail_os(SIGPORT_EOS, rc, "%s(%d)", fn, how);
  if (old != NULL) sp__posix_from_sigset(&previous, old);
  return native == SIG_BLOCK ? 0 : sp__dispatch_if_main();
}

int sigport_sigpending(sigport_sigset_t *out) {
  sigset_t set;
  int rc = sp__check_ptr(out, "sigport_sigpending", "out");
  if (rc != 0) return rc;
  if (sigpending(&set) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_sigpending");
  sp__posix_from_sigset(&set, out);
  return 0;
}

int sigport_thread_block(sigport_sigset_t *old) {
  static const int faults[] = {SIGSEGV, SIGBUS,  SIGFPE,
                               SIGILL,  SIGTRAP, SIGSYS};
  sigset_t set, previous;
  size_t i;
  int rc;
  /* sigfillset() leaves out the C library's reserved signals. */
  sigfillset(&set);
  for (i = 0; i < sizeof faults / sizeof faults[0]; i++)
    sigdelset(&set, faults[i]);
  rc = pthread_sigmask(SIG_SETMASK, &set, &previous);
  if (rc != 0) return sp__fail_os(SIGPORT_EOS, rc, "sigport_thread_block");
  if (old != NULL) sp__posix_from_sigset(&previous, old);
  return 0;
}

/* ------------------------------------------------------------------ */
/* The waits                                                          */
/* ------------------------------------------------------------------ */

/* Checks the set of a wait: not NULL, in range, and with at least one
   signal that can be waited for (SIGKILL and SIGSTOP cannot). */
static int get_wait_set(const sigport_sigset_t *in, const char *fn,
                        sigset_t *out) {
  int rc = get_set(in, fn, "set", out), s;
  if (rc != 0) return rc;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP && sigismember(out, s) == 1) return 0;
  return sp__fail(SIGPORT_EVALUE,
                  "%s: empty signal set (no signal that can be waited for)",
                  fn);
}

#if SIGPORT_HAVE_SIGWAITINFO
/* Fills a sigport_siginfo_t from the system's, as the trip records a
   delivery, for one delivery. */
static void fill_info(const siginfo_t *si, sigport_siginfo_t *info) {
  int signo = si->si_signo;
  memset(info, 0, sizeof *info);
  info->signo = signo;
  info->code = si->si_code;
  info->errnum = si->si_errno;
  info->pid = (int64_t)si->si_pid;
  info->uid = (uint32_t)si->si_uid;
  if (signo == SIGCHLD) info->status = si->si_status;
#if defined(SIGPOLL)
  if (signo == SIGPOLL) info->band = (int64_t)si->si_band;
#endif
  if (sp__posix_code_has_value(si->si_code)) {
    info->value = (intptr_t)si->si_value.sival_ptr;
    info->value_int = si->si_value.sival_int;
  }
  if (signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE ||
      signo == SIGILL || signo == SIGTRAP)
    info->addr = si->si_addr;
  info->count = 1;
}

/* One wait: the signal number, or -1 with errno (EAGAIN on timeout,
   EINTR). ns < 0 waits without a timeout. A cancellation point, as POSIX
   requires of the sigwait family: the system call itself is not one on
   Linux, so cancellation is made asynchronous around it, and a
   pthread_cancel() ends the wait as it would end sigwaitinfo(). */
static int wait_once(const sigset_t *set, siginfo_t *si, int64_t ns) {
  int rc;
#if defined(__linux__)
  int err, type;
  if (pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &type) != 0)
    type = PTHREAD_CANCEL_DEFERRED;
  rc = sp__posix_sigtimedwait(set, si, ns);
  err = errno;
  pthread_setcanceltype(type, NULL);
  errno = err;
#else
  rc = sp__posix_sigtimedwait(set, si, ns);
#endif
#if defined(__GLIBC__)
  /* What glibc's own sigwaitinfo() reports, and Python shows: the SI_TKILL
     of raise() and pthread_kill() is folded into SI_USER. */
  if (rc > 0 && si->si_code == SI_TKILL) si->si_code = SI_USER;
#endif
  return rc;
}

/* No deadline: sigwait and sigwaitinfo. */
#define SP_FOREVER INT64_MAX

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether a result of the loop below leaves *info meaningful: anything
   but sigport's own failures (-1 to -99). */
static int fills_info(int rc) { return rc >= 0 || rc <= -100; }

/* The wait loop of the whole family. timeout_ns < 0 waits for ever.
   Returns 1 with *info filled, 0 when the time ran out, a handler's
   non-zero result, or a failure. *info is zeroed unless a signal came. */
static int wait_loop(const sigset_t *set, int64_t timeout_ns,
                     sigport_siginfo_t *info, const char *fn) {
  int64_t deadline = SP_FOREVER, left = timeout_ns;
  siginfo_t si;
  int rc;
  memset(info, 0, sizeof *info);
  if (timeout_ns >= 0) {
    int64_t start = now_ns();
    deadline =
        timeout_ns > SP_FOREVER - start ? SP_FOREVER : start + timeout_ns;
  }
  /* What is already pending runs first: a handler's non-zero result ends
     the call before it takes any signal of the set. */
  rc = sp__dispatch_if_main();
  if (rc != 0) return rc;
  for (;;) {
    memset(&si, 0, sizeof si);
    if (wait_once(set, &si, left) > 0) {
      fill_info(&si, info);
      return 1;
    }
    if (errno == EAGAIN) return 0;
    if (errno != EINTR) return sp__fail_os(SIGPORT_EOS, errno, "%s", fn);
    /* A signal outside the set interrupted the wait: its trip ran. */
    rc = sp__dispatch_if_main();
    if (rc != 0) return rc;
    /* Go on with the time left (PEP 475). */
    if (timeout_ns >= 0) {
      int64_t now = now_ns();
      if (now >= deadline) return 0;
      left = deadline - now;
    }
  }
}
#endif /* SIGPORT_HAVE_SIGWAITINFO */

int sigport_sigwait(const sigport_sigset_t *set, int *signum) {
  static const char fn[] = "sigport_sigwait";
  sigset_t native;
  int rc = get_wait_set(set, fn, &native);
  if (rc == 0) rc = sp__check_ptr(signum, fn, "signum");
  if (rc != 0) return rc;
#if SIGPORT_HAVE_SIGWAITINFO
  {
    sigport_siginfo_t info;
    rc = wait_loop(&native, -1, &info, fn);
    if (rc != 1) return rc;
    *signum = info.signo;
    return 0;
  }
#else
  {
    /* sigwait() does not return EINTR: a signal outside the set that
       interrupts it is dispatched after the wait. */
    int got = 0;
    rc = sp__dispatch_if_main();
    if (rc != 0) return rc;
    do {
      rc = sigwait(&native, &got);
    } while (rc == EINTR);
    if (rc != 0) return sp__fail_os(SIGPORT_EOS, rc, "%s", fn);
    *signum = got;
    return 0;
  }
#endif
}

int sigport_sigwaitinfo(const sigport_sigset_t *set, sigport_siginfo_t *info) {
  static const char fn[] = "sigport_sigwaitinfo";
#if SIGPORT_HAVE_SIGWAITINFO
  sigport_siginfo_t got;
  sigset_t native;
  int rc = get_wait_set(set, fn, &native);
  if (rc != 0) return rc;
  rc = wait_loop(&native, -1, &got, fn);
  if (info != NULL && fills_info(rc)) *info = got;
  return rc == 1 ? got.signo : rc;
#else
  (void)set;
  (void)info;
  return sp__fail(SIGPORT_ENOTAVAIL, "%s is not available on this system", fn);
#endif
}

int sigport_sigtimedwait(const sigport_sigset_t *set, double timeout,
                         sigport_siginfo_t *info) {
  static const char fn[] = "sigport_sigtimedwait";
#if SIGPORT_HAVE_SIGWAITINFO
  sigport_siginfo_t got;
  sigset_t native;
  uint64_t ns;
  int rc = get_wait_set(set, fn, &native);
  if (rc != 0) return rc;
  if (isnan(timeout) || isinf(timeout))
    return sp__fail(SIGPORT_EVALUE, "%s: invalid timeout %g", fn, timeout);
  if (timeout < 0)
    return sp__fail(SIGPORT_EVALUE, "%s: timeout %g must be non-negative", fn,
                    timeout);
  /* Rounded up to the nanosecond, so the wait is never shorter than
     asked, the same on every floating-point unit. 2^63 ns is about 292
     years. */
  if (sp__seconds_to_ns(timeout, &ns) != 0)
    return sp__fail(SIGPORT_EVALUE, "%s: timeout %g too large", fn, timeout);
  rc = wait_loop(&native, (int64_t)ns, &got, fn);
  if (info != NULL && fills_info(rc)) *info = got;
  return rc;
#else
  (void)set;
  (void)timeout;
  (void)info;
  return sp__fail(SIGPORT_ENOTAVAIL, "%s is not available on this system", fn);
#endif
}
