/*
 * test_timers.c: alarm, setitimer and getitimer with real timers: the
 * three timers firing, the old value, rounding up, disarming, and every
 * bad input leaving the timer as it was.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

static const int all_timers[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};

static sigset_t saved_mask;
/* Handlers count into statics, so that a delivery dispatched by the
   teardown never writes into a finished test's stack. */
static struct sp_counter alrm, vtalrm, prof;

static void disarm_all(void) {
  struct itimerval zero;
  size_t i;
  memset(&zero, 0, sizeof zero);
  for (i = 0; i < sizeof all_timers / sizeof all_timers[0]; i++)
    setitimer(all_timers[i], &zero, NULL);
}

static void setup(void) {
  pthread_sigmask(SIG_SETMASK, NULL, &saved_mask);
  disarm_all();
  memset(&alrm, 0, sizeof alrm);
  memset(&vtalrm, 0, sizeof vtalrm);
  memset(&prof, 0, sizeof prof);
  ck_assert_int_eq(sigport_init(0), 0);
}

/* Disarms every timer, takes what is pending while blocked, puts the mask
   back, runs what is still pending and shuts down, so that nothing is
   raised again under the restored dispositions. */
static void teardown(void) {
  int i;
  disarm_all();
  sp_drain_blocked();
  pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
  for (i = 0; i < 100 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

/* The raw timer, in seconds. */
static double raw_value(int which) {
  struct itimerval cur;
  ck_assert_int_eq(getitimer(which, &cur), 0);
  return (double)cur.it_value.tv_sec + (double)cur.it_value.tv_usec / 1e6;
}

static double raw_interval(int which) {
  struct itimerval cur;
  ck_assert_int_eq(getitimer(which, &cur), 0);
  return (double)cur.it_interval.tv_sec +
         (double)cur.it_interval.tv_usec / 1e6;
}

/* CPU time of this process, in milliseconds. Reading it also lets a
   runtime that defers signals (ThreadSanitizer) deliver them. */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static volatile unsigned long sink;

/* Burns CPU in user space until `c` saw `want` deliveries or `budget_ms`
   of CPU time went by, dispatching as it goes. */
static void burn_until(struct sp_counter *c, unsigned long want,
                       double budget_ms) {
  double start = cpu_ms();
  while (c->total < want && cpu_ms() - start < budget_ms) {
    unsigned long i;
    for (i = 0; i < 100000; i++) sink += i;
    ck_assert_int_eq(sigport_dispatch(), 0);
  }
}

START_TEST(test_real_fires_repeatedly) {
  double start = sp_now_ms(), elapsed;
  SP_ASSERT_OK(sigport_signal(SIGALRM, sp_count_handler, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.02, 0.02, NULL));
  while (alrm.total < 5 && sp_now_ms() - start < 3000)
    ck_assert_int_eq(sigport_pause(), 0);
  elapsed = sp_now_ms() - start;
  ck_assert_uint_ge(alrm.total, 5);
  ck_assert_int_eq(alrm.last.signo, SIGALRM);
  /* Five periods of 20 ms cannot end sooner than 100 ms. */
  ck_assert_msg(elapsed >= 99.0, "5 deliveries after %.3f ms", elapsed);
  /* Still armed: the interval re-arms it. */
  ck_assert(raw_interval(ITIMER_REAL) > 0.019);
}
END_TEST

/* The period of ITIMER_REAL, measured by waiting for SIGALRM blocked. */
START_TEST(test_real_interval_precision) {
  enum { N = 50 };
  const double period_ms = 10.0;
  sigport_sigset_t set;
  double t[N + 1], worst = 0.0, mean;
  int i, got;
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGALRM));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, period_ms / 1000.0,
                                 period_ms / 1000.0, NULL));
  for (i = 0; i <= N; i++) {
    SP_ASSERT_OK(sigport_sigwait(&set, &got));
    ck_assert_int_eq(got, SIGALRM);
    t[i] = sp_now_ms();
  }
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
  mean = (t[N] - t[0]) / N;
  for (i = 1; i <= N; i++) {
    double d = fabs(t[i] - t[i - 1] - period_ms);
    if (d > worst) worst = d;
  }
  printf("timers: ITIMER_REAL %.0f ms x %d: mean period %.4f ms "
         "(error %+.4f ms), worst single period off by %.3f ms\n",
         period_ms, N, mean, mean - period_ms, worst);
  fflush(stdout);
  /* The kernel keeps the period on its own clock: a late wakeup makes
     one period long and the next short, so the mean is never short. On a
     loaded machine a period can be missed (two expiries merge into one
     SIGALRM), so only the lower bound is asserted; the figures are
     printed for the record. */
  ck_assert_msg(mean > period_ms - 0.5, "mean period %.4f ms", mean);
}
END_TEST

START_TEST(test_virtual_fires_on_cpu_time) {
  sigport_itimerval_t cur;
  SP_ASSERT_OK(sigport_signal(SIGVTALRM, sp_count_handler, &vtalrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_VIRTUAL, 0.01, 0.01, NULL));
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_VIRTUAL, &cur));
  /* The system samples CPU time at its ticks, so a CPU timer can read up
     to a tick more than it was set to. */
  ck_assert_msg(cur.value > 0.0 && cur.value <= 0.03, "value %f", cur.value);
  ck_assert(fabs(cur.interval - 0.01) < 1e-9);
  burn_until(&vtalrm, 3, 2500.0);
  ck_assert_uint_ge(vtalrm.total, 3);
  ck_assert_int_eq(vtalrm.last.signo, SIGVTALRM);
}
END_TEST

START_TEST(test_prof_fires_on_cpu_time) {
  SP_ASSERT_OK(sigport_signal(SIGPROF, sp_count_handler, &prof, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_PROF, 0.01, 0.01, NULL));
  burn_until(&prof, 3, 2500.0);
  ck_assert_uint_ge(prof.total, 3);
  ck_assert_int_eq(prof.last.signo, SIGPROF);
}
END_TEST

/* A virtual timer does not run while the process sleeps. */
START_TEST(test_virtual_stands_still_in_sleep) {
  SP_ASSERT_OK(sigport_signal(SIGVTALRM, sp_count_handler, &vtalrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_VIRTUAL, 0.05, 0, NULL));
  sp_sleep_ms(200);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(vtalrm.calls, 0);
  ck_assert(raw_value(ITIMER_VIRTUAL) > 0.0);
}
END_TEST

START_TEST(test_getitimer_round_trip_and_old_value) {
  static const int which[] = {SIGPORT_ITIMER_REAL, SIGPORT_ITIMER_VIRTUAL,
                              SIGPORT_ITIMER_PROF};
  size_t i;
  for (i = 0; i < 3; i++) {
    sigport_itimerval_t old, cur;
    old.value = old.interval = -1.0;
    SP_ASSERT_OK(sigport_setitimer(which[i], 50.0, 2.5, &old));
    /* Nothing was armed before. */
    ck_assert(old.value == 0.0 && old.interval == 0.0);
    SP_ASSERT_OK(sigport_getitimer(which[i], &cur));
    /* A CPU timer can read up to a tick more than it was set to. */
    ck_assert_msg(cur.value > 49.0 && cur.value <= 50.02, "value %f",
                  cur.value);
    ck_assert(cur.interval == 2.5);
    ck_assert(fabs(raw_value(all_timers[i]) - cur.value) < 0.5);
    ck_assert(raw_interval(all_timers[i]) == 2.5);
    /* Re-arming returns the previous setting. */
    SP_ASSERT_OK(sigport_setitimer(which[i], 30.25, 0.125, &old));
    ck_assert(old.value > 49.0 && old.value <= 50.02);
    ck_assert(old.interval == 2.5);
    SP_ASSERT_OK(sigport_getitimer(which[i], &cur));
    ck_assert(cur.value > 29.0 && cur.value <= 30.27);
    ck_assert(cur.interval == 0.125);
    /* 0, 0 disarms, and reports what was there. */
    SP_ASSERT_OK(sigport_setitimer(which[i], 0, 0, &old));
    ck_assert(old.value > 29.0 && old.value <= 30.27);
    ck_assert(old.interval == 0.125);
    SP_ASSERT_OK(sigport_getitimer(which[i], &cur));
    ck_assert(cur.value == 0.0 && cur.interval == 0.0);
    ck_assert(raw_value(all_timers[i]) == 0.0);
    ck_assert(raw_interval(all_timers[i]) == 0.0);
  }
  /* old may be NULL. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 10.0, 0, NULL));
  ck_assert(raw_value(ITIMER_REAL) > 9.0);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
  ck_assert(raw_value(ITIMER_REAL) == 0.0);
}
END_TEST

/* Times are rounded up to the microsecond: the interval shows it exactly,
   since the system keeps it as it was given. */
/* Times are rounded as CPython rounds them: the seconds times 1e9 up to a
   whole nanosecond, then up to the microsecond; and read back as tv_sec +
   tv_usec / 1e6. The results are the same on every system: the expected
   values are doubles in a table, since under __FLT_EVAL_METHOD__ 2 (32-bit
   x86) a constant in an expression, as in `x == 1e-6`, is the long double
   nearest to it rather than the double. */
START_TEST(test_round_up) {
  static const struct {
    double set, want;
    long sec, usec; /* what the kernel holds */
  } cases[] = {
      {1e-6, 1e-6, 0, 1},       /* one microsecond */
      {1e-7, 1e-6, 0, 1},       /* up to one microsecond */
      {1e-9, 1e-6, 0, 1},
      {0.000003, 3e-6, 0, 3},   /* whole microseconds stay as they are */
      {7e-6, 7e-6, 0, 7},
      {0.25, 0.25, 0, 250000},
      {0.251763, 0.251763, 0, 251763},
      {0.999999, 0.999999, 0, 999999},
      {0.5000005, 0.500001, 0, 500001}, /* half a microsecond goes up */
      {0.5000004, 0.500001, 0, 500001},
      {1.0000004e-6, 2e-6, 0, 2},       /* never shorter than asked */
      {0.9999995, 1.0, 1, 0},           /* up to a whole second */
      {0.9999999999999999, 1.0, 1, 0},  /* the double just below 1 */
      {2.9999999999999996, 3.0, 3, 0},  /* the double just below 3 */
      /* 1 + 0.500001 in double arithmetic, one more than the double
         nearest 1.500001. */
      {1.5000001, 0x1.800010c6f7a0cp+0, 1, 500001},
      {1234.5678, 1234.5678, 1234, 567800},
  };
  sigport_itimerval_t cur;
  struct itimerval raw;
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 100.0, cases[i].set,
                                   NULL));
    ck_assert_int_eq(getitimer(ITIMER_REAL, &raw), 0);
    ck_assert_msg(raw.it_interval.tv_sec == cases[i].sec &&
                      raw.it_interval.tv_usec == cases[i].usec,
                  "%.17g: the kernel holds %ld.%06ld, expected %ld.%06ld",
                  cases[i].set, (long)raw.it_interval.tv_sec,
                  (long)raw.it_interval.tv_usec, cases[i].sec,
                  cases[i].usec);
    SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &cur));
    ck_assert_msg(cur.interval == cases[i].want,
                  "%.17g: interval %.17g, expected %.17g", cases[i].set,
                  cur.interval, cases[i].want);
  }
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
}
END_TEST

/* A tiny positive time arms the timer: it is still running, or it fired. */
START_TEST(test_tiny_time_never_disarms) {
  sigport_sigset_t set;
  sigset_t pending;
  sigport_itimerval_t cur;
  int fired;
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGALRM));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 1e-7, 0, NULL));
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &cur));
  ck_assert_int_eq(sigpending(&pending), 0);
  fired = sigismember(&pending, SIGALRM) == 1;
  ck_assert_msg(cur.value > 0.0 || fired, "disarmed without firing");
  /* Either way it fires. */
  SP_ASSERT_OK(sigport_sigwait(&set, &fired));
  ck_assert_int_eq(fired, SIGALRM);
  /* The same for the interval of a running timer. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 1e-9, 1e-9, NULL));
  SP_ASSERT_OK(sigport_sigwait(&set, &fired));
  SP_ASSERT_OK(sigport_sigwait(&set, &fired));
  ck_assert_int_eq(fired, SIGALRM);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
}
END_TEST

START_TEST(test_large_times) {
  sigport_itimerval_t cur;
  /* A year is fine. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 31536000.0, 86400.0,
                                 NULL));
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &cur));
  ck_assert(cur.value > 31535000.0 && cur.value <= 31536000.0);
  ck_assert(cur.interval == 86400.0);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
}
END_TEST

/* Arms ITIMER_REAL at 77 s every 3.5 s, the state the bad calls below must
   leave alone. */
static void arm_reference(void) {
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 77.0, 3.5, NULL));
}

static void assert_reference(void) {
  double v = raw_value(ITIMER_REAL);
  ck_assert_msg(v > 70.0 && v <= 77.0, "ITIMER_REAL changed: %f", v);
  ck_assert_msg(raw_interval(ITIMER_REAL) == 3.5, "interval changed: %f",
                raw_interval(ITIMER_REAL));
}

START_TEST(test_bad_which) {
  sigport_itimerval_t old = {-5.0, -5.0}, cur = {-5.0, -5.0};
  arm_reference();
  SP_ASSERT_FAILS(sigport_setitimer(3, 1.0, 0, &old), SIGPORT_EITIMER,
                  "invalid timer 3");
  SP_ASSERT_FAILS(sigport_setitimer(-1, 1.0, 0, &old), SIGPORT_EITIMER,
                  "invalid timer -1");
  SP_ASSERT_FAILS(sigport_setitimer(INT_MAX, 0, 0, NULL), SIGPORT_EITIMER,
                  "2147483647");
  SP_ASSERT_FAILS(sigport_getitimer(3, &cur), SIGPORT_EITIMER,
                  "invalid timer 3");
  SP_ASSERT_FAILS(sigport_getitimer(-7, &cur), SIGPORT_EITIMER, "-7");
  ck_assert_str_eq(sigport_errname(SIGPORT_EITIMER), "ItimerError");
  /* Nothing written, nothing changed. */
  ck_assert(old.value == -5.0 && old.interval == -5.0);
  ck_assert(cur.value == -5.0 && cur.interval == -5.0);
  assert_reference();
}
END_TEST

START_TEST(test_getitimer_null) {
  SP_ASSERT_FAILS(sigport_getitimer(SIGPORT_ITIMER_REAL, NULL),
                  SIGPORT_EVALUE, "current");
  SP_ASSERT_FAILS(sigport_getitimer(SIGPORT_ITIMER_PROF, NULL),
                  SIGPORT_EVALUE, "must not be NULL");
}
END_TEST

START_TEST(test_negative_times) {
  sigport_itimerval_t old = {-5.0, -5.0};
  arm_reference();
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, -1.0, 0, &old),
                  SIGPORT_EITIMER, "sigport_setitimer: negative time -1");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, -0.5, &old),
                  SIGPORT_EITIMER, "negative interval -0.5");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_VIRTUAL, -1e-9, 0, &old),
                  SIGPORT_EITIMER, "negative time -1e-09");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_PROF, -1e300, 0, &old),
                  SIGPORT_EITIMER, "-1e+300");
  /* Both bad: the time is named first. */
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, -2.0, -3.0, &old),
                  SIGPORT_EITIMER, "-2");
  ck_assert(old.value == -5.0 && old.interval == -5.0);
  assert_reference();
  ck_assert(raw_value(ITIMER_VIRTUAL) == 0.0);
  ck_assert(raw_value(ITIMER_PROF) == 0.0);
}
END_TEST

START_TEST(test_nan_infinite_and_huge_times) {
  sigport_itimerval_t old = {-5.0, -5.0};
  arm_reference();
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, NAN, 0, &old),
                  SIGPORT_EVALUE, "sigport_setitimer: invalid time nan");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, NAN, &old),
                  SIGPORT_EVALUE, "invalid interval nan");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, INFINITY, 0, &old),
                  SIGPORT_EVALUE, "invalid time inf");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, -INFINITY, 0, &old),
                  SIGPORT_EVALUE, "invalid time -inf");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, INFINITY, &old),
                  SIGPORT_EVALUE, "invalid interval inf");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1e300, 0, &old),
                  SIGPORT_EVALUE, "time 1e+300 too large");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, 1e19, &old),
                  SIGPORT_EVALUE, "interval 1e+19 too large");
  /* A bad timer is reported before a bad time. */
  SP_ASSERT_FAILS(sigport_setitimer(9, NAN, 0, &old), SIGPORT_EITIMER,
                  "invalid timer 9");
  ck_assert(old.value == -5.0 && old.interval == -5.0);
  assert_reference();
}
END_TEST

START_TEST(test_alarm_returns_previous) {
  int left;
  ck_assert_int_eq(sigport_alarm(100), 0);
  ck_assert(raw_value(ITIMER_REAL) > 99.0);
  left = sigport_alarm(50);
  ck_assert_msg(left >= 99 && left <= 100, "left %d", left);
  left = sigport_alarm(0);
  ck_assert_msg(left >= 49 && left <= 50, "left %d", left);
  /* 0 cancelled it. */
  ck_assert(raw_value(ITIMER_REAL) == 0.0);
  ck_assert_int_eq(sigport_alarm(0), 0);
  /* alarm and ITIMER_REAL are one timer. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 20.0, 0, NULL));
  left = sigport_alarm(0);
  ck_assert_msg(left >= 19 && left <= 20, "left %d", left);
}
END_TEST

START_TEST(test_alarm_too_large) {
  ck_assert_int_eq(sigport_alarm(100), 0);
  SP_ASSERT_FAILS(sigport_alarm((unsigned)INT_MAX + 1u), SIGPORT_EVALUE,
                  "sigport_alarm: 2147483648 seconds out of range");
  SP_ASSERT_FAILS(sigport_alarm(UINT_MAX), SIGPORT_EVALUE, "4294967295");
  /* The alarm set before is still there. */
  ck_assert(raw_value(ITIMER_REAL) > 99.0);
  ck_assert_int_ge(sigport_alarm(0), 99);
}
END_TEST

START_TEST(test_alarm_fires_through_pause) {
  double start, elapsed;
  int rc;
  SP_ASSERT_OK(sigport_signal(SIGALRM, sp_count_handler, &alrm, NULL));
  ck_assert_int_eq(sigport_alarm(1), 0);
  start = sp_now_ms();
  rc = sigport_pause();
  elapsed = sp_now_ms() - start;
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(alrm.calls, 1);
  ck_assert_int_eq(alrm.last.signo, SIGALRM);
  /* pause slept until the alarm. */
  ck_assert_msg(elapsed >= 900.0, "pause returned after %.3f ms", elapsed);
  ck_assert_int_eq(sigport_alarm(0), 0);
}
END_TEST

START_TEST(test_alarm_handler_result_through_pause) {
  alrm.result = SIGPORT_EUSER - 14;
  SP_ASSERT_OK(sigport_signal(SIGALRM, sp_count_handler, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.05, 0, NULL));
  ck_assert_int_eq(sigport_pause(), SIGPORT_EUSER - 14);
  ck_assert_int_eq(alrm.calls, 1);
}
END_TEST
#if defined(__linux__)
/* Linux keeps timers in signed 64-bit nanoseconds, about 9.2e9 s: a time
   beyond that is refused and names the value, where Python raises
   OverflowError, and the timers are left as they were. Below it, the
   kernel holds the time as asked: read back through getitimer(), a CPU
   timer is positive. */
/* A time that is refused is named in the message, whichever limit (the
   kernel's, or a 32-bit time_t's) refused it. */
static void assert_too_large(int rc, const char *what, double value) {
  char full[64], brief[64];
  const char *msg = sigport_last_error();
  snprintf(full, sizeof full, "%s %.17g too large", what, value);
  snprintf(brief, sizeof brief, "%s %g too large", what, value);
  ck_assert_msg(rc == SIGPORT_EVALUE, "%s %.17g: returned %d", what, value,
                rc);
  ck_assert_msg(strstr(msg, full) != NULL || strstr(msg, brief) != NULL,
                "message '%s' does not name %s %.17g", msg, what, value);
}

START_TEST(test_beyond_the_kernels_range) {
  static const int which[] = {SIGPORT_ITIMER_REAL, SIGPORT_ITIMER_VIRTUAL,
                              SIGPORT_ITIMER_PROF};
  static const int native[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
  /* Below the kernel's limit, and below a 32-bit time_t's where time_t
     has 32 bits. */
  const double fits = sizeof(time_t) >= 8 ? 9.2e9 : 2.0e9;
  sigport_itimerval_t old = {-5.0, -5.0};
  struct itimerval virt;
  size_t i;
  arm_reference();
  memset(&virt, 0, sizeof virt);
  virt.it_value.tv_sec = 500;
  ck_assert_int_eq(setitimer(ITIMER_VIRTUAL, &virt, NULL), 0);
  for (i = 0; i < 3; i++) {
    assert_too_large(sigport_setitimer(which[i], 1e10, 0, &old), "time",
                     1e10);
    assert_too_large(sigport_setitimer(which[i], 9223372036.0, 0, &old),
                     "time", 9223372036.0);
    assert_too_large(sigport_setitimer(which[i], 1.0, 9.3e9, &old),
                     "interval", 9.3e9);
  }
  ck_assert(old.value == -5.0 && old.interval == -5.0);
  assert_reference();
  /* A CPU timer reads up to a tick (at most 10 ms) more than it was set
     to. */
  ck_assert_msg(raw_value(ITIMER_VIRTUAL) > 499.0 &&
                    raw_value(ITIMER_VIRTUAL) <= 500.01,
                "ITIMER_VIRTUAL changed: %f", raw_value(ITIMER_VIRTUAL));
  ck_assert(raw_value(ITIMER_PROF) == 0.0);
  for (i = 0; i < 3; i++) {
    SP_ASSERT_OK(sigport_setitimer(which[i], fits, fits, NULL));
    ck_assert_msg(raw_value(native[i]) > 0.99 * fits, "timer %d reads %f",
                  which[i], raw_value(native[i]));
    ck_assert(raw_interval(native[i]) > 0.99 * fits);
    SP_ASSERT_OK(sigport_setitimer(which[i], 0, 0, NULL));
  }
}
END_TEST
#endif

Suite *sp_suite_timers(void) {
  Suite *s = suite_create("timers");
  TCase *tc = tcase_create("itimer");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, test_real_fires_repeatedly);
  tcase_add_test(tc, test_real_interval_precision);
  tcase_add_test(tc, test_virtual_fires_on_cpu_time);
  tcase_add_test(tc, test_prof_fires_on_cpu_time);
  tcase_add_test(tc, test_virtual_stands_still_in_sleep);
  tcase_add_test(tc, test_getitimer_round_trip_and_old_value);
  tcase_add_test(tc, test_round_up);
  tcase_add_test(tc, test_tiny_time_never_disarms);
  tcase_add_test(tc, test_large_times);
  suite_add_tcase(s, tc);

  tc = tcase_create("bad_input");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_bad_which);
  tcase_add_test(tc, test_getitimer_null);
  tcase_add_test(tc, test_negative_times);
  tcase_add_test(tc, test_nan_infinite_and_huge_times);
#if defined(__linux__)
  tcase_add_test(tc, test_beyond_the_kernels_range);
#endif
  suite_add_tcase(s, tc);

  tc = tcase_create("alarm");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, test_alarm_returns_previous);
  tcase_add_test(tc, test_alarm_too_large);
  tcase_add_test(tc, test_alarm_fires_through_pause);
  tcase_add_test(tc, test_alarm_handler_result_through_pause);
  suite_add_tcase(s, tc);
  return s;
}
