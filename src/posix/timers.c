/*
 * timers.c: alarm(), setitimer() and getitimer().
 *
 * Times are doubles in seconds. They are converted to a struct timeval as
 * CPython converts them: to whole nanoseconds, rounded up, then up to the
 * microsecond, so a tiny positive time stays positive and never disarms a
 * timer; and back as tv_sec + tv_usec / 1e6. seconds.c makes both with
 * integers, so that every floating-point unit gives the same timeval and
 * the same double. Every argument is checked before the system is called,
 * so a failed call changes no timer.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "posix.h"

/* The system's timer for a sigport one, or -1 for a bad `which`. */
static int native_which(int which) {
  switch (which) {
    case SIGPORT_ITIMER_REAL:
      return ITIMER_REAL;
    case SIGPORT_ITIMER_VIRTUAL:
      return ITIMER_VIRTUAL;
    case SIGPORT_ITIMER_PROF:
      return ITIMER_PROF;
    default:
      return -1;
  }
}

static int check_which(int which, const char *fn) {
  if (native_which(which) < 0)
    return sp__fail(SIGPORT_EITIMER,
                    "%s: invalid timer %d (expected SIGPORT_ITIMER_REAL, "
                    "SIGPORT_ITIMER_VIRTUAL or SIGPORT_ITIMER_PROF)",
                    fn, which);
  return 0;
}

/* 2 to the power of the number of value bits of time_t: the first number
   of seconds that does not fit. Exact as a double. */
static double time_t_limit(void) {
  double limit = 1.0;
  size_t bits;
  for (bits = 1; bits < sizeof(time_t) * CHAR_BIT; bits++) limit *= 2.0;
  return limit;
}

/* Whole nanoseconds to microseconds, rounded up. */
static uint64_t ns_to_us(uint64_t ns) {
  return ns / 1000u + (ns % 1000u != 0);
}

/* Converts seconds to a timeval: nanoseconds rounded up, then
   microseconds rounded up. `what` names the argument in the message.
   Fails, without touching *out, for NaN, an infinite or too large time
   (SIGPORT_EVALUE) and a negative one (SIGPORT_EITIMER). No libm call:
   the range is checked first, so the integer conversions below are
   exact. */
static int to_timeval(double seconds, const char *fn, const char *what,
                      struct timeval *out) {
  double limit = time_t_limit();
  uint64_t ns, us;
  int64_t whole;
  long usec;
  if (isnan(seconds) || isinf(seconds))
    return sp__fail(SIGPORT_EVALUE, "%s: invalid %s %g", fn, what, seconds);
  if (seconds < 0)
    return sp__fail(SIGPORT_EITIMER, "%s: negative %s %g", fn, what, seconds);
  if (seconds >= limit)
    return sp__fail(SIGPORT_EVALUE, "%s: %s %g too large for the system", fn,
                    what, seconds);
  if (sp__seconds_to_ns(seconds, &ns) == 0) {
    us = ns_to_us(ns);
    whole = (int64_t)(us / 1000000u);
    usec = (long)(us % 1000000u);
  } else {
    /* 2^63 ns (292 years) or more, where time_t holds it: the whole
       seconds, and the fraction as above. A double of 2^53 or more is a
       whole number, and seconds - whole is exact. */
    whole = (int64_t)seconds;
    (void)sp__seconds_to_ns(seconds - (double)whole, &ns);
    usec = (long)ns_to_us(ns);
  }
  if (usec >= 1000000L) {
    whole++;
    usec -= 1000000L;
    if ((double)whole >= limit)
      return sp__fail(SIGPORT_EVALUE, "%s: %s %g too large for the system",
                      fn, what, seconds);
  }
  out->tv_sec = (time_t)whole;
  out->tv_usec = (suseconds_t)usec;
  return 0;
}

#if defined(__linux__)
/* Linux keeps a timer's expiry as its clock's reading plus the time, in
   signed 64-bit nanoseconds (about 292 years): the clock is the monotonic
   one for ITIMER_REAL and the process's CPU time for the others. A time
   that does not fit then overflows (a CPU-time timer reads back negative)
   or is cut. The limit is what is left of the range now, less a second for
   the system's tick and for the time between this check and the call. */
static int check_kernel_range(int which, const struct timeval *tv,
                              double seconds, const char *fn,
                              const char *what) {
  struct timespec now;
  int64_t now_ns = 0, max_sec;
  clockid_t clock =
      which == SIGPORT_ITIMER_REAL ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID;
  if (clock_gettime(clock, &now) == 0 && now.tv_sec >= 0)
    now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  max_sec = (INT64_MAX - now_ns) / 1000000000 - 1;
  if ((int64_t)tv->tv_sec < max_sec) return 0;
  return sp__fail(SIGPORT_EVALUE,
                  "%s: %s %.17g too large for the system (it must be "
                  "below %lld s now)",
                  fn, what, seconds, (long long)max_sec);
}
#endif

static double from_timeval(const struct timeval *tv) {
  return sp__seconds_of((int64_t)tv->tv_sec, (long)tv->tv_usec);
}

static void to_itimerval(const struct itimerval *in, sigport_itimerval_t *out) {
  out->value = from_timeval(&in->it_value);
  out->interval = from_timeval(&in->it_interval);
}

int sigport_setitimer(int which, double seconds, double interval,
                      sigport_itimerval_t *old) {
  static const char fn[] = "sigport_setitimer";
  struct itimerval nv, ov;
  int rc = check_which(which, fn);
  if (rc == 0) rc = to_timeval(seconds, fn, "time", &nv.it_value);
  if (rc == 0) rc = to_timeval(interval, fn, "interval", &nv.it_interval);
#if defined(__linux__)
  if (rc == 0) rc = check_kernel_range(which, &nv.it_value, seconds, fn, "time");
  if (rc == 0)
    rc = check_kernel_range(which, &nv.it_interval, interval, fn, "interval");
#endif
  if (rc != 0) return rc;
  if (setitimer(native_which(which), &nv, &ov) != 0)
    return sp__fail_os(SIGPORT_EITIMER, errno, "%s(%d, %g, %g)", fn, which,
                       seconds, interval);
  if (old != NULL) to_itimerval(&ov, old);
  return 0;
}

int sigport_getitimer(int which, sigport_itimerval_t *current) {
  static const char fn[] = "sigport_getitimer";
  struct itimerval cur;
  int rc = check_which(which, fn);
  if (rc == 0) rc = sp__check_ptr(current, fn, "current");
  if (rc != 0) return rc;
  if (getitimer(native_which(which), &cur) != 0)
    return sp__fail_os(SIGPORT_EITIMER, errno, "%s(%d)", fn, which);
  to_itimerval(&cur, current);
  return 0;
}

int sigport_alarm(unsigned seconds) {
  unsigned left;
  if (seconds > (unsigned)INT_MAX)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_alarm: %u seconds out of range [0; %d]", seconds,
                    INT_MAX);
  left = alarm(seconds);
  /* Only a timer set outside sigport can have more left than INT_MAX. */
  return left > (unsigned)INT_MAX ? INT_MAX : (int)left;
}
