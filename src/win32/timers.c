/*
 * timers.c (Windows): sigport_alarm(), sigport_setitimer() and
 * sigport_getitimer() for SIGPORT_ITIMER_REAL, on a timer-queue timer
 * whose callback delivers SIGALRM (SPEC 6.5).
 *
 * Times are converted as on POSIX (timers.c there): to whole nanoseconds
 * rounded up, then up to the microsecond, and read back as tv_sec +
 * tv_usec / 1e6. The timer itself counts whole milliseconds, so it is set
 * to the time rounded up to the millisecond and fires at most 1 ms later
 * than asked, never earlier. The time left is read from the stored
 * deadline, which is the time asked (then, for an interval timer, the
 * firing plus the interval): it never reads more than was set, and reads
 * 1 us, not 0, while a firing is due.
 *
 * One change at a time (set_lock). The callback shares the deadline with
 * getitimer under tlock, which it holds for a few stores; a change bumps
 * `gen` under tlock first, so a callback of the timer being replaced does
 * nothing, then deletes that timer and waits for its callbacks to end,
 * without holding tlock.
 */
#include <limits.h>
#include <math.h>

#include "win32.h"

/* The longest time a timer-queue timer takes: a DWORD of milliseconds,
   less INFINITE. */
#define SP_MAX_MS 0xFFFFFFFEu
#define SP_MAX_US ((uint64_t)SP_MAX_MS * 1000u)

static SRWLOCK set_lock = SRWLOCK_INIT;
static HANDLE timer; /* under set_lock */

static SRWLOCK tlock = SRWLOCK_INIT;
static unsigned gen;          /* the callback's parameter; under tlock */
static int armed;             /* under tlock */
static int64_t deadline_ns;   /* the next firing; under tlock */
static uint64_t interval_us;  /* under tlock */

int64_t sp__win32_now_ns(void) {
  LARGE_INTEGER c, f;
  (void)QueryPerformanceFrequency(&f);
  (void)QueryPerformanceCounter(&c);
  /* In two parts, so that nothing overflows or loses precision. */
  return (int64_t)(c.QuadPart / f.QuadPart) * 1000000000 +
         (int64_t)((c.QuadPart % f.QuadPart) * 1000000000 / f.QuadPart);
}

static VOID CALLBACK fire(PVOID param, BOOLEAN timed_out) {
  struct sp_record rec = {0};
  unsigned mine = (unsigned)(uintptr_t)param;
  int current;
  (void)timed_out;
  AcquireSRWLockExclusive(&tlock);
  current = mine == gen && armed;
  if (current) {
    if (interval_us != 0)
      deadline_ns = sp__win32_now_ns() + (int64_t)interval_us * 1000;
    else
      armed = 0;
  }
  ReleaseSRWLockExclusive(&tlock);
  if (!current) return;
  rec.code = SP_WIN32_CODE_TIMER;
  if (sp__win32_route(SIGPORT_SIGALRM, 0, &rec) == SP_ROUTE_DELIVER)
    sp__win32_deliver(SIGPORT_SIGALRM, &rec);
}

/* Microseconds to a timer value. */
static double seconds_of_us(uint64_t us) {
  return sp__seconds_of((int64_t)(us / 1000000u), (long)(us % 1000000u));
}

/* The time left and the interval. Under tlock. */
static void read_locked(sigport_itimerval_t *out) {
  out->value = out->interval = 0.0;
  if (!armed) return;
  {
    int64_t left = deadline_ns - sp__win32_now_ns();
    uint64_t us = left <= 0 ? 1u : ((uint64_t)left + 999u) / 1000u;
    out->value = seconds_of_us(us);
    out->interval = seconds_of_us(interval_us);
  }
}

/* Arms the timer for value_us (0 disarms it), then every interval_us.
   The previous setting goes to *old if not NULL. */
static int timer_set(uint64_t value_us, uint64_t every_us,
                     sigport_itimerval_t *old, const char *fn) {
  sigport_itimerval_t before;
  HANDLE prev, h = NULL;
  unsigned mine;
  int rc = 0;
  AcquireSRWLockExclusive(&set_lock);
  AcquireSRWLockExclusive(&tlock);
  read_locked(&before);
  mine = ++gen;
  armed = 0;
  ReleaseSRWLockExclusive(&tlock);
  prev = timer;
  timer = NULL;
  /* Waits for a callback of the old timer that is running now. */
  if (prev != NULL) (void)DeleteTimerQueueTimer(NULL, prev, INVALID_HANDLE_VALUE);
  if (value_us != 0) {
    DWORD due = (DWORD)((value_us + 999u) / 1000u);
    DWORD period = (DWORD)((every_us + 999u) / 1000u);
    AcquireSRWLockExclusive(&tlock);
    armed = 1;
    deadline_ns = sp__win32_now_ns() + (int64_t)value_us * 1000;
    interval_us = every_us;
    ReleaseSRWLockExclusive(&tlock);
    if (CreateTimerQueueTimer(&h, NULL, fire, (PVOID)(uintptr_t)mine, due,
                              period, WT_EXECUTEDEFAULT)) {
      timer = h;
    } else {
      DWORD err = GetLastError();
      AcquireSRWLockExclusive(&tlock);
      armed = 0;
      ReleaseSRWLockExclusive(&tlock);
      rc = sp__fail_os(SIGPORT_EITIMER, (int)err, "%s: CreateTimerQueueTimer",
                       fn);
    }
  }
  ReleaseSRWLockExclusive(&set_lock);
  if (rc == 0 && old != NULL) *old = before;
  return rc;
}

static int check_which(int which, const char *fn) {
  if (which == SIGPORT_ITIMER_REAL) return 0;
  if (which == SIGPORT_ITIMER_VIRTUAL || which == SIGPORT_ITIMER_PROF)
    return sp__fail(SIGPORT_ENOTAVAIL,
                    "%s: %s is not available on Windows (only "
                    "SIGPORT_ITIMER_REAL is)",
                    fn,
                    which == SIGPORT_ITIMER_VIRTUAL ? "SIGPORT_ITIMER_VIRTUAL"
                                                    : "SIGPORT_ITIMER_PROF");
  return sp__fail(SIGPORT_EITIMER,
                  "%s: invalid timer %d (expected SIGPORT_ITIMER_REAL, "
                  "SIGPORT_ITIMER_VIRTUAL or SIGPORT_ITIMER_PROF)",
                  fn, which);
}

/* Seconds to microseconds as POSIX rounds them (see the top), checked:
   SIGPORT_EVALUE for NaN, an infinite time or one the timer cannot take,
   SIGPORT_EITIMER for a negative one. `what` names the argument. */
static int to_us(double seconds, const char *fn, const char *what,
                 uint64_t *out) {
  uint64_t ns;
  if (isnan(seconds) || isinf(seconds))
    return sp__fail(SIGPORT_EVALUE, "%s: invalid %s %g", fn, what, seconds);
  if (seconds < 0)
    return sp__fail(SIGPORT_EITIMER, "%s: negative %s %g", fn, what, seconds);
  if (sp__seconds_to_ns(seconds, &ns) != 0 ||
      ns / 1000u + (ns % 1000u != 0) > SP_MAX_US)
    return sp__fail(SIGPORT_EVALUE,
                    "%s: %s %.17g too large for the system (at most "
                    "4294967.294 s on Windows)",
                    fn, what, seconds);
  *out = ns / 1000u + (ns % 1000u != 0);
  return 0;
}

int sigport_setitimer(int which, double seconds, double interval,
                      sigport_itimerval_t *old) {
  static const char fn[] = "sigport_setitimer";
  uint64_t value_us = 0, every_us = 0;
  int rc = check_which(which, fn);
  if (rc == 0) rc = to_us(seconds, fn, "time", &value_us);
  if (rc == 0) rc = to_us(interval, fn, "interval", &every_us);
  if (rc != 0) return rc;
  return timer_set(value_us, every_us, old, fn);
}

int sigport_getitimer(int which, sigport_itimerval_t *current) {
  static const char fn[] = "sigport_getitimer";
  int rc = check_which(which, fn);
  if (rc == 0) rc = sp__check_ptr(current, fn, "current");
  if (rc != 0) return rc;
  AcquireSRWLockShared(&tlock);
  read_locked(current);
  ReleaseSRWLockShared(&tlock);
  return 0;
}

int sigport_alarm(unsigned seconds) {
  static const char fn[] = "sigport_alarm";
  sigport_itimerval_t old;
  double left;
  int rc;
  if (seconds > (unsigned)INT_MAX)
    return sp__fail(SIGPORT_EVALUE, "%s: %u seconds out of range [0; %d]", fn,
                    seconds, INT_MAX);
  if ((uint64_t)seconds * 1000000u > SP_MAX_US)
    return sp__fail(SIGPORT_EVALUE,
                    "%s: %u seconds too large for the system (at most "
                    "4294967 on Windows)",
                    fn, seconds);
  rc = timer_set((uint64_t)seconds * 1000000u, 0, &old, fn);
  if (rc != 0) return rc;
  /* Whole seconds, rounded up: an alarm that is due is never reported
     as none. */
  left = ceil(old.value);
  return left > (double)INT_MAX ? INT_MAX : (int)left;
}
