/*
 * test_winemul.c: what sigport emulates on Windows (SPEC 6.5), with real
 * timers, raises, console events and threads: ITIMER_REAL and alarm on a
 * timer-queue timer (its period measured), the per-thread masks, held
 * deliveries and sigpending, unblocking, the sigwait family taking
 * deliveries with no handler run, a wait that dispatches what comes
 * outside its set, threads that exit, and bad input that changes nothing.
 *
 * Check runs without fork on Windows: every test leaves the timer
 * disarmed and the main thread's mask empty (teardown), whatever it
 * asserted.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <limits.h>
#include <math.h>
#include <process.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

/* The backend's console control handler, a test hook (src/win32/win32.h),
   called from a thread of the test's as the system would call it. */
BOOL WINAPI sp__win32_console_handler(DWORD event);

/* The code of a SIGALRM from the timer, and of a raise. */
#define CODE_TIMER (-2)
#define CODE_RAISE (-1)

static sigport_sigset_t set_of(int a, int b) {
  sigport_sigset_t set;
  sigport_sigemptyset(&set);
  if (a != 0) sigport_sigaddset(&set, a);
  if (b != 0) sigport_sigaddset(&set, b);
  return set;
}

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }

static void teardown(void) {
  sigport_sigset_t empty, pending;
  sigport_siginfo_t info;
  int i;
  sigport_sigemptyset(&empty);
  (void)sigport_setitimer(SIGPORT_ITIMER_REAL, 0.0, 0.0, NULL);
  /* Whatever a failed test left held is taken, not delivered. */
  if (sigport_sigpending(&pending) == 0) {
    int s = 0;
    while ((s = sigport_sigset_next(&pending, s)) > 0) {
      sigport_sigset_t one = set_of(s, 0);
      (void)sigport_sigtimedwait(&one, 0.0, &info);
    }
  }
  (void)sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &empty, NULL);
  for (i = 0; i < 8 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

/* Waits until signum is held for this thread or the process, for at most
   ms milliseconds: 1 when it is. */
static int wait_held(int signum, int ms) {
  double end = sp_now_ms() + ms;
  do {
    sigport_sigset_t p;
    ck_assert_int_eq(sigport_sigpending(&p), 0);
    if (sigport_sigismember(&p, signum) == 1) return 1;
    Sleep(1);
  } while (sp_now_ms() < end);
  return 0;
}

/* Reads the calling thread's mask without changing it. */
static sigport_sigset_t mask_now(void) {
  sigport_sigset_t empty, cur;
  sigport_sigemptyset(&empty);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, &cur));
  return cur;
}

static int same_set(const sigport_sigset_t *a, const sigport_sigset_t *b) {
  return a->bits[0] == b->bits[0] && a->bits[1] == b->bits[1];
}

/* ------------------------------------------------------------------ */
/* Timers                                                             */
/* ------------------------------------------------------------------ */

/* Times of the handler's calls. */
#define TICKS 20
static double tick_at[TICKS];
static int ticks;
static unsigned long tick_total;

static int tick_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)arg;
  if (ticks < TICKS) tick_at[ticks] = sp_now_ms();
  ticks++;
  tick_total += info->count;
  ck_assert_int_eq(info->code, CODE_TIMER);
  return 0;
}

/* A 50 ms interval timer fires again and again, with a mean period within
   a few ms of 50; disarming it stops it. */
START_TEST(test_itimer_periodic) {
  sigport_itimerval_t old;
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0);
  sigport_siginfo_t info;
  double mean, lo = 1e9, hi = 0;
  int i, before;
  ticks = 0;
  tick_total = 0;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, tick_handler, NULL, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.05, 0.05, &old));
  ck_assert(old.value == 0.0 && old.interval == 0.0);
  while (ticks < TICKS) SP_ASSERT_OK(sigport_pause());
  /* Each firing is one delivery: none was lost or merged. */
  ck_assert_uint_eq(tick_total, (unsigned long)ticks);
  for (i = 1; i < TICKS; i++) {
    double d = tick_at[i] - tick_at[i - 1];
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  mean = (tick_at[TICKS - 1] - tick_at[0]) / (TICKS - 1);
  printf("winemul: ITIMER_REAL 50 ms: mean period %.2f ms over %d, "
         "shortest %.2f, longest %.2f\n",
         mean, TICKS - 1, lo, hi);
  fflush(stdout);
  ck_assert_msg(fabs(mean - 50.0) <= 5.0, "mean period %.2f ms", mean);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.0, 0.0, &old));
  ck_assert(old.interval == 0.05);
  ck_assert(old.value > 0.0 && old.value <= 0.05);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &old));
  ck_assert(old.value == 0.0 && old.interval == 0.0);
  /* Disarmed: nothing comes in four periods. The wait would take one. */
  while (sigport_pending()) SP_ASSERT_OK(sigport_dispatch());
  before = ticks;
  ck_assert_int_eq(sigport_sigtimedwait(&alrm, 0.2, &info), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(ticks, before);
}
END_TEST

/* getitimer counts down from what was set, and reads the interval as
   POSIX rounds it. */
START_TEST(test_getitimer_counts_down) {
  sigport_itimerval_t a, b, old;
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 10.0, 0.000003, NULL));
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &a));
  ck_assert_msg(a.value > 9.5 && a.value <= 10.0, "value %.9f", a.value);
  /* 3 us, as the double 3e-6, as POSIX reads it back. */
  ck_assert(a.interval == 0.000003);
  Sleep(120);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &b));
  ck_assert_msg(b.value <= a.value - 0.1 && b.value > 9.0,
                "value %.9f after %.9f", b.value, a.value);
  /* Replacing it gives the old setting back. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 5.0, 0.0, &old));
  ck_assert(old.value <= b.value && old.value > 9.0);
  ck_assert(old.interval == 0.000003);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &a));
  ck_assert(a.value > 4.5 && a.value <= 5.0 && a.interval == 0.0);
  /* A tiny time never disarms: 1e-7 s is 1 us. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 1000.0, 1e-7, NULL));
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &a));
  ck_assert(a.interval == 0.000001);
}
END_TEST

/* alarm(2) then alarm(0) returns 2, in whole seconds rounded up; alarm
   and ITIMER_REAL are the same timer. */
START_TEST(test_alarm) {
  sigport_itimerval_t it;
  ck_assert_int_eq(sigport_alarm(2), 0);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &it));
  ck_assert(it.value > 1.5 && it.value <= 2.0 && it.interval == 0.0);
  ck_assert_int_eq(sigport_alarm(0), 2);
  ck_assert_int_eq(sigport_alarm(0), 0);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &it));
  ck_assert(it.value == 0.0);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.2, 0.1, NULL));
  ck_assert_int_eq(sigport_alarm(30), 1);
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &it));
  ck_assert(it.value > 29.0 && it.interval == 0.0);
  ck_assert_int_eq(sigport_alarm(0), 30);
}
END_TEST

/* An alarm with a handler runs it once, with the timer's code. */
START_TEST(test_alarm_fires_once) {
  struct sp_counter c = {0};
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0);
  sigport_siginfo_t info;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.03, 0.0, NULL));
  while (c.calls == 0) SP_ASSERT_OK(sigport_pause());
  ck_assert_int_eq(c.calls, 1);
  ck_assert_uint_eq(c.total, 1);
  ck_assert_int_eq(c.last.signo, SIGPORT_SIGALRM);
  ck_assert_int_eq(c.last.code, CODE_TIMER);
  ck_assert_str_eq(sigport_codename(SIGPORT_SIGALRM, c.last.code),
                   "SI_TIMER");
  /* One-shot: disarmed by its firing, and no second one comes. */
  ck_assert_int_eq(sigport_alarm(0), 0);
  ck_assert_int_eq(sigport_sigtimedwait(&alrm, 0.1, &info), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Masks                                                              */
/* ------------------------------------------------------------------ */

/* A blocked SIGALRM from the timer stays pending, with no handler run and
   nothing for dispatch; unblocking runs the handler, with the timer's
   siginfo. */
START_TEST(test_blocked_alarm_pending) {
  struct sp_counter c = {0};
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0), now, pend;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &alrm, NULL));
  now = mask_now();
  ck_assert(same_set(&now, &alrm));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.03, 0.0, NULL));
  ck_assert_msg(wait_held(SIGPORT_SIGALRM, 5000), "SIGALRM never held");
  ck_assert_int_eq(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 0);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &alrm, NULL));
  /* UNBLOCK dispatched it before it returned. */
  ck_assert_int_eq(c.calls, 1);
  ck_assert_int_eq(c.last.code, CODE_TIMER);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGPORT_SIGALRM), 0);
}
END_TEST

/* A raise that the raising thread blocks is held for that thread; two
   merge into one, as POSIX's standard signals do. SETMASK lets it
   through. */
START_TEST(test_blocked_raise_pending) {
  struct sp_counter c = {0};
  sigport_sigset_t term = set_of(SIGPORT_SIGTERM, 0), empty, old, pend;
  sigport_sigemptyset(&empty);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &term, &old));
  ck_assert(same_set(&old, &empty));
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGTERM));
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGTERM));
  ck_assert_int_eq(c.calls, 0);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert(same_set(&pend, &term));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &empty, &old));
  ck_assert(same_set(&old, &term));
  ck_assert_int_eq(c.calls, 1);
  ck_assert_uint_eq(c.total, 1);
  ck_assert_int_eq(c.last.code, CODE_RAISE);
  /* A raise straight to the C runtime meets the mask as well. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &term, NULL));
  ck_assert_int_eq(raise(SIGPORT_SIGTERM), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert(wait_held(SIGPORT_SIGTERM, 0));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &term, NULL));
  ck_assert_int_eq(c.calls, 2);
}
END_TEST

struct console_call {
  DWORD event;
  BOOL result;
};

static unsigned __stdcall console_thread(void *arg) {
  struct console_call *call = arg;
  call->result = sp__win32_console_handler(call->event);
  return 0;
}

static BOOL console_event(DWORD event) {
  struct console_call call = {0};
  HANDLE t;
  call.event = event;
  t = (HANDLE)_beginthreadex(NULL, 0, console_thread, &call, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  CloseHandle(t);
  return call.result;
}

/* A console event that the main thread blocks is held, reported handled
   to the system, and delivered with its event as the code on unblock. */
START_TEST(test_blocked_console_event) {
  struct sp_counter c = {0};
  sigport_sigset_t brk = set_of(SIGPORT_SIGBREAK, 0);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGBREAK, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &brk, NULL));
  ck_assert(console_event(CTRL_BREAK_EVENT));
  ck_assert(wait_held(SIGPORT_SIGBREAK, 0));
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 0);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &brk, NULL));
  ck_assert_int_eq(c.calls, 1);
  ck_assert_int_eq(c.last.code, (int)CTRL_BREAK_EVENT);
  /* Blocked under SIG_DFL too: held, not the end of the process. */
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGBREAK, SIGPORT_SIG_DFL, NULL, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &brk, NULL));
  ck_assert(console_event(CTRL_BREAK_EVENT));
  ck_assert(wait_held(SIGPORT_SIGBREAK, 0));
  /* Taken by a wait instead of its default action. */
  ck_assert_int_eq(sigport_sigwaitinfo(&brk, NULL), SIGPORT_SIGBREAK);
}
END_TEST

/* Per-thread masks. A thread starts with an empty mask of its own; what
   it blocks does not hold a delivery that another thread does not
   block; one that every thread with a mask blocks is held for the
   process, seen by every thread, and let through by the first thread
   that unblocks it. */
static HANDLE step_go[4], step_done[4];
static sigport_sigset_t worker_seen[4];
static int worker_rc[4];

static unsigned __stdcall mask_worker(void *arg) {
  sigport_sigset_t empty, alrm = set_of(SIGPORT_SIGALRM, 0);
  (void)arg;
  sigport_sigemptyset(&empty);
  /* 0: its own mask is empty; it blocks SIGALRM. */
  WaitForSingleObject(step_go[0], INFINITE);
  worker_rc[0] =
      sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &alrm, &worker_seen[0]);
  SetEvent(step_done[0]);
  /* 1: it sees what is held for the process. */
  WaitForSingleObject(step_go[1], INFINITE);
  worker_rc[1] = sigport_sigpending(&worker_seen[1]);
  SetEvent(step_done[1]);
  /* 2: it unblocks SIGALRM, which lets the held one through. */
  WaitForSingleObject(step_go[2], INFINITE);
  worker_rc[2] =
      sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &alrm, &worker_seen[2]);
  SetEvent(step_done[2]);
  /* 3: nothing is held any more. */
  WaitForSingleObject(step_go[3], INFINITE);
  worker_rc[3] = sigport_sigpending(&worker_seen[3]);
  SetEvent(step_done[3]);
  return 0;
}

static void step(int k) {
  SetEvent(step_go[k]);
  ck_assert_int_eq(WaitForSingleObject(step_done[k], 10000), WAIT_OBJECT_0);
  ck_assert_msg(worker_rc[k] == 0, "worker step %d: %s", k,
                sigport_last_error());
}

START_TEST(test_masks_per_thread) {
  struct sp_counter c = {0};
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0), empty, m;
  HANDLE t;
  int k;
  sigport_sigemptyset(&empty);
  for (k = 0; k < 4; k++) {
    step_go[k] = CreateEventW(NULL, FALSE, FALSE, NULL);
    step_done[k] = CreateEventW(NULL, FALSE, FALSE, NULL);
  }
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, NULL));
  t = (HANDLE)_beginthreadex(NULL, 0, mask_worker, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  step(0);
  ck_assert(same_set(&worker_seen[0], &empty));
  /* The worker's mask is its own: the main thread's is still empty. */
  m = mask_now();
  ck_assert(same_set(&m, &empty));
  /* The main thread does not block it: delivered. */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.02, 0.0, NULL));
  while (c.calls == 0) SP_ASSERT_OK(sigport_pause());
  /* Now both block it: held for the process. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.02, 0.0, NULL));
  ck_assert(wait_held(SIGPORT_SIGALRM, 5000));
  step(1);
  ck_assert(same_set(&worker_seen[1], &alrm));
  ck_assert_int_eq(c.calls, 1);
  step(2);
  ck_assert(same_set(&worker_seen[2], &alrm));
  /* Let through on the worker; the handler runs on the main thread. */
  while (c.calls == 1) SP_ASSERT_OK(sigport_pause());
  ck_assert_int_eq(c.calls, 2);
  ck_assert_int_eq(c.last.code, CODE_TIMER);
  step(3);
  ck_assert(same_set(&worker_seen[3], &empty));
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  CloseHandle(t);
  for (k = 0; k < 4; k++) {
    CloseHandle(step_go[k]);
    CloseHandle(step_done[k]);
  }
}
END_TEST

/* A thread that had an empty mask and exited no longer counts: the main
   thread alone blocking SIGALRM holds it. */
static unsigned __stdcall empty_mask_then_exit(void *arg) {
  sigport_sigset_t empty;
  (void)arg;
  sigport_sigemptyset(&empty);
  return (unsigned)sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &empty, NULL);
}

START_TEST(test_exited_thread_forgotten) {
  struct sp_counter c = {0};
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0);
  DWORD code = 99;
  HANDLE t = (HANDLE)_beginthreadex(NULL, 0, empty_mask_then_exit, NULL, 0,
                                    NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  ck_assert(GetExitCodeThread(t, &code));
  ck_assert_int_eq(code, 0);
  CloseHandle(t);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.02, 0.0, NULL));
  ck_assert_msg(wait_held(SIGPORT_SIGALRM, 5000),
                "SIGALRM not held: the exited thread still counts");
  ck_assert_int_eq(c.calls, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Waits                                                              */
/* ------------------------------------------------------------------ */

/* sigtimedwait takes a raised SIGTERM and a timer's SIGALRM, with their
   siginfo, and runs neither handler. */
START_TEST(test_sigtimedwait_takes_raise_and_timer) {
  struct sp_counter term = {0}, alrm = {0};
  sigport_sigset_t both = set_of(SIGPORT_SIGTERM, SIGPORT_SIGALRM), pend;
  sigport_siginfo_t info;
  double t0, waited;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, sp_count_handler, &term, NULL));
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGALRM, sp_count_handler, &alrm, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &both, NULL));
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGTERM));
  ck_assert_int_eq(sigport_sigtimedwait(&both, 1.0, &info), 1);
  ck_assert_int_eq(info.signo, SIGPORT_SIGTERM);
  ck_assert_int_eq(info.code, CODE_RAISE);
  ck_assert_uint_eq(info.count, 1);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.05, 0.0, NULL));
  t0 = sp_now_ms();
  ck_assert_int_eq(sigport_sigtimedwait(&both, 5.0, &info), 1);
  waited = sp_now_ms() - t0;
  ck_assert_int_eq(info.signo, SIGPORT_SIGALRM);
  ck_assert_int_eq(info.code, CODE_TIMER);
  ck_assert_msg(waited >= 40.0, "the alarm came after %.1f ms", waited);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(term.calls, 0);
  ck_assert_int_eq(alrm.calls, 0);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGPORT_SIGTERM), 0);
  ck_assert_int_eq(sigport_sigismember(&pend, SIGPORT_SIGALRM), 0);
  /* Nothing comes: the time runs out, never early, info zeroed. */
  t0 = sp_now_ms();
  ck_assert_int_eq(sigport_sigtimedwait(&both, 0.1, &info), 0);
  waited = sp_now_ms() - t0;
  ck_assert_msg(waited >= 99.0, "returned after %.1f ms", waited);
  ck_assert_int_eq(info.signo, 0);
  /* 0 polls. */
  ck_assert_int_eq(sigport_sigtimedwait(&both, 0.0, &info), 0);
}
END_TEST

/* A wait on a worker takes a console event that every thread blocks,
   whether it came before the wait or during it; no handler runs. */
static sigport_siginfo_t worker_info;
static int worker_wait_rc;

static unsigned __stdcall waiting_worker(void *arg) {
  sigport_sigset_t brk = set_of(SIGPORT_SIGBREAK, 0);
  (void)arg;
  worker_wait_rc = sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &brk, NULL);
  SetEvent(step_done[0]);
  if (worker_wait_rc == 0)
    worker_wait_rc = sigport_sigwaitinfo(&brk, &worker_info);
  return 0;
}

START_TEST(test_sigwait_in_worker) {
  struct sp_counter c = {0};
  sigport_sigset_t brk = set_of(SIGPORT_SIGBREAK, 0);
  HANDLE t;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGBREAK, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &brk, NULL));
  step_done[0] = CreateEventW(NULL, FALSE, FALSE, NULL);
  memset(&worker_info, 0, sizeof worker_info);
  t = (HANDLE)_beginthreadex(NULL, 0, waiting_worker, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(WaitForSingleObject(step_done[0], 10000), WAIT_OBJECT_0);
  ck_assert(console_event(CTRL_BREAK_EVENT));
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  CloseHandle(t);
  CloseHandle(step_done[0]);
  ck_assert_int_eq(worker_wait_rc, SIGPORT_SIGBREAK);
  ck_assert_int_eq(worker_info.signo, SIGPORT_SIGBREAK);
  ck_assert_int_eq(worker_info.code, (int)CTRL_BREAK_EVENT);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 0);
}
END_TEST

/* A wait on the main thread dispatches what comes outside its set (here
   a raise on another thread) and goes on waiting (PEP 475); a handler's
   non-zero result ends it. */
static unsigned __stdcall raise_term(void *arg) {
  (void)arg;
  return (unsigned)sigport_raise(SIGPORT_SIGTERM);
}

START_TEST(test_wait_dispatches_outside_set) {
  struct sp_counter term = {0};
  sigport_sigset_t alrm = set_of(SIGPORT_SIGALRM, 0);
  sigport_siginfo_t info;
  HANDLE t;
  int sig = 0;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, sp_count_handler, &term, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.3, 0.0, NULL));
  t = (HANDLE)_beginthreadex(NULL, 0, raise_term, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  SP_ASSERT_OK(sigport_sigwait(&alrm, &sig));
  ck_assert_int_eq(sig, SIGPORT_SIGALRM);
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  CloseHandle(t);
  ck_assert_int_eq(term.calls, 1);
  /* A handler's result ends the wait, with info zeroed. */
  term.result = SIGPORT_EUSER - 3;
  t = (HANDLE)_beginthreadex(NULL, 0, raise_term, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
  CloseHandle(t);
  ck_assert_int_eq(sigport_sigtimedwait(&alrm, 5.0, &info), SIGPORT_EUSER - 3);
  ck_assert_int_eq(info.signo, 0);
  ck_assert_int_eq(term.calls, 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad input                                                          */
/* ------------------------------------------------------------------ */

/* Each bad call fails with its code and a message naming the value, and
   changes neither the timer nor the mask. */
START_TEST(test_bad_input_changes_nothing) {
  sigport_sigset_t term = set_of(SIGPORT_SIGTERM, 0), bad, empty, m, three;
  sigport_itimerval_t it;
  sigport_siginfo_t info;
  int sig;
  sigport_sigemptyset(&empty);
  three = set_of(3, 0);
  bad = term;
  bad.bits[0] |= (uint64_t)1 << 40; /* outside [1; 22] */
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 100.0, 50.0, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &term, NULL));

  SP_ASSERT_FAILS(sigport_setitimer(9, 1.0, 0.0, &it), SIGPORT_EITIMER,
                  "invalid timer 9");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, -1.0, 0.0, &it),
                  SIGPORT_EITIMER, "negative time -1");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, -2.0, &it),
                  SIGPORT_EITIMER, "negative interval -2");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, NAN, 0.0, &it),
                  SIGPORT_EVALUE, "invalid time nan");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, INFINITY, &it),
                  SIGPORT_EVALUE, "invalid interval inf");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 5e6, 0.0, &it),
                  SIGPORT_EVALUE, "time 5000000 too large");
  SP_ASSERT_FAILS(sigport_setitimer(SIGPORT_ITIMER_REAL, 1e300, 0.0, &it),
                  SIGPORT_EVALUE, "too large");
  SP_ASSERT_FAILS(sigport_getitimer(9, &it), SIGPORT_EITIMER,
                  "invalid timer 9");
  SP_ASSERT_FAILS(sigport_getitimer(SIGPORT_ITIMER_REAL, NULL),
                  SIGPORT_EVALUE, "current");
  SP_ASSERT_FAILS(sigport_alarm((unsigned)INT_MAX + 1u), SIGPORT_EVALUE,
                  "2147483648 seconds out of range");
  SP_ASSERT_FAILS(sigport_alarm(5000000u), SIGPORT_EVALUE,
                  "5000000 seconds too large");

  SP_ASSERT_FAILS(sigport_pthread_sigmask(7, &empty, &m), SIGPORT_EVALUE,
                  "invalid how 7");
  SP_ASSERT_FAILS(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, NULL, &m),
                  SIGPORT_EVALUE, "mask");
  SP_ASSERT_FAILS(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &bad, &m),
                  SIGPORT_EVALUE, "40");
  SP_ASSERT_FAILS(sigport_sigpending(NULL), SIGPORT_EVALUE, "out");
  SP_ASSERT_FAILS(sigport_sigwait(NULL, &sig), SIGPORT_EVALUE, "set");
  SP_ASSERT_FAILS(sigport_sigwait(&term, NULL), SIGPORT_EVALUE, "signum");
  SP_ASSERT_FAILS(sigport_sigwait(&empty, &sig), SIGPORT_EVALUE,
                  "empty signal set");
  /* 3 is no signal on Windows: nothing in the set can be waited for. */
  SP_ASSERT_FAILS(sigport_sigwaitinfo(&three, &info), SIGPORT_EVALUE,
                  "empty signal set");
  SP_ASSERT_FAILS(sigport_sigwaitinfo(&bad, &info), SIGPORT_EVALUE, "40");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&term, -1.0, &info), SIGPORT_EVALUE,
                  "timeout -1 must be non-negative");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&term, NAN, &info), SIGPORT_EVALUE,
                  "invalid timeout nan");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&term, 1e300, &info), SIGPORT_EVALUE,
                  "timeout 1e+300 too large");

  /* Nothing changed. */
  SP_ASSERT_OK(sigport_getitimer(SIGPORT_ITIMER_REAL, &it));
  ck_assert(it.value > 99.0 && it.interval == 50.0);
  m = mask_now();
  ck_assert(same_set(&m, &term));
  /* A number that is no signal here is left out of a mask, as POSIX
     leaves SIGKILL out. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &three, NULL));
  m = mask_now();
  ck_assert(same_set(&m, &term));
}
END_TEST

Suite *sp_suite_winemul(void) {
  Suite *s = suite_create("winemul");
  TCase *tc = tcase_create("winemul");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_itimer_periodic);
  tcase_add_test(tc, test_getitimer_counts_down);
  tcase_add_test(tc, test_alarm);
  tcase_add_test(tc, test_alarm_fires_once);
  tcase_add_test(tc, test_blocked_alarm_pending);
  tcase_add_test(tc, test_blocked_raise_pending);
  tcase_add_test(tc, test_blocked_console_event);
  tcase_add_test(tc, test_masks_per_thread);
  tcase_add_test(tc, test_exited_thread_forgotten);
  tcase_add_test(tc, test_sigtimedwait_takes_raise_and_timer);
  tcase_add_test(tc, test_sigwait_in_worker);
  tcase_add_test(tc, test_wait_dispatches_outside_set);
  tcase_add_test(tc, test_bad_input_changes_nothing);
  suite_add_tcase(s, tc);
  return s;
}
