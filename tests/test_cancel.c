/*
 * test_cancel.c: thread cancellation. The trip reaches no cancellation
 * point and no cancellation request stops it half way; the sigwait family
 * is a cancellation point, as POSIX requires.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* A thread with a deferred cancellation pending takes a signal: the trip
   runs on it and writes to the wakeup fd or to pause's wake pipe. Neither
   write may act on the cancellation: the thread goes on after raise()
   returns, and is cancelled at its next cancellation point. */
struct cancel_case {
  long main_tid;      /* wait for it to sleep first (0: do not) */
  atomic_int reached; /* the thread got past the trip */
};

static void *raise_with_cancel_pending(void *arg) {
  struct cancel_case *cc = arg;
  sigset_t set;
  int old;
  /* The main thread may block it: the trip is to run here. */
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  pthread_cancel(pthread_self());
#if defined(__linux__)
  if (cc->main_tid != 0) sp_wait_until_asleep(cc->main_tid);
#endif
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
  raise(SIGUSR1);
  atomic_store(&cc->reached, 1);
  pthread_testcancel();
  return NULL;
}

START_TEST(test_trip_wakeup_write_is_no_cancellation_point) {
  struct sp_counter c = {0};
  struct cancel_case cc;
  unsigned char byte = 0;
  pthread_t t;
  void *res = NULL;
  int fds[2];
  memset(&cc, 0, sizeof cc);
  ck_assert_int_eq(pipe(fds), 0);
  ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
  ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(fds[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, raise_with_cancel_pending, &cc),
                   0);
  ck_assert_int_eq(pthread_join(t, &res), 0);
  ck_assert_ptr_eq(res, PTHREAD_CANCELED);
  ck_assert_msg(atomic_load(&cc.reached) == 1,
                "the thread was cancelled inside the trip");
  ck_assert_int_eq(read(fds[0], &byte, 1), 1);
  ck_assert_int_eq(byte, SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  /* It waits for running trips: none is left running. */
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

#if defined(__linux__)
START_TEST(test_trip_pause_wake_is_no_cancellation_point) {
  struct sp_counter c = {0};
  struct cancel_case cc;
  sigset_t set, old;
  pthread_t t;
  void *res = NULL;
  memset(&cc, 0, sizeof cc);
  cc.main_tid = sp_thread_id();
  c.result = SIGPORT_EUSER - 5;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  /* Blocked here, so the trip runs on the other thread. */
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
  ck_assert_int_eq(pthread_create(&t, NULL, raise_with_cancel_pending, &cc),
                   0);
  ck_assert_int_eq(sigport_pause(), SIGPORT_EUSER - 5);
  ck_assert_int_eq(pthread_join(t, &res), 0);
  ck_assert_ptr_eq(res, PTHREAD_CANCELED);
  ck_assert_msg(atomic_load(&cc.reached) == 1,
                "the thread was cancelled inside the trip");
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}
END_TEST

/* Bit n - 1 of a Linux sigset_t, read as the kernel has it. */
static int raw_member(const sigset_t *set, int signum) {
  unsigned long word;
  size_t w = (size_t)(signum - 1) / (sizeof word * CHAR_BIT);
  memcpy(&word, (const unsigned char *)set + w * sizeof word, sizeof word);
  return (int)((word >> ((unsigned)(signum - 1) % (sizeof word * CHAR_BIT))) &
               1ul);
}

/* The trip's sa_mask holds every signal, the C library's reserved ones
   too: its cancellation signal cannot stop a trip half way through the
   record. Read back through the raw sigaction(). */
START_TEST(test_trip_blocks_the_reserved_signals) {
  struct sigaction sa;
  sigset_t filled;
  int s, reserved = 0;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, NULL, NULL));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  sigfillset(&filled);
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    if (sigismember(&filled, s) != 1) reserved++;
    ck_assert_msg(raw_member(&sa.sa_mask, s) == 1,
                  "signal %d is not blocked while the trip runs", s);
  }
  /* glibc reserves 32 and 33, musl 32 to 34. */
  ck_assert_int_ge(reserved, 2);
}
END_TEST
#endif

/* The sigwait family is a cancellation point: a thread blocked in a wait,
   or about to wait with a cancellation pending, is cancelled. */
struct waiter {
  int which; /* 0 sigwait, 1 sigwaitinfo, 2 sigtimedwait */
  long tid;
  atomic_int started;
};

static void *wait_forever(void *arg) {
  struct waiter *w = arg;
  sigport_sigset_t set;
  sigport_siginfo_t info;
  sigset_t native;
  int got;
  sigemptyset(&native);
  sigaddset(&native, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &native, NULL);
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
#if defined(__linux__)
  w->tid = sp_thread_id();
#endif
  atomic_store(&w->started, 1);
  switch (w->which) {
    case 0:
      sigport_sigwait(&set, &got);
      break;
    case 1:
      sigport_sigwaitinfo(&set, &info);
      break;
    default:
      sigport_sigtimedwait(&set, 1e6, &info);
      break;
  }
  return (void *)1;
}

static void cancel_waiter(int which, int while_asleep) {
  struct waiter w;
  pthread_t t;
  void *res = NULL;
  memset(&w, 0, sizeof w);
  w.which = which;
  ck_assert_int_eq(pthread_create(&t, NULL, wait_forever, &w), 0);
  if (while_asleep) {
    while (atomic_load(&w.started) == 0) sched_yield();
#if defined(__linux__)
    sp_wait_until_asleep(w.tid);
#endif
  }
  ck_assert_int_eq(pthread_cancel(t), 0);
  ck_assert_int_eq(pthread_join(t, &res), 0);
  ck_assert_msg(res == PTHREAD_CANCELED, "wait %d (asleep %d) returned %p",
                which, while_asleep, res);
}

START_TEST(test_waits_are_cancellation_points) {
  int which;
  for (which = 0; which < (SIGPORT_HAVE_SIGWAITINFO ? 3 : 1); which++) {
    cancel_waiter(which, 1);
    cancel_waiter(which, 0);
  }
}
END_TEST

Suite *sp_suite_cancel(void) {
  Suite *s = suite_create("cancel");
  TCase *tc = tcase_create("trip");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  sp_tcase_add_thread_test(tc, test_trip_wakeup_write_is_no_cancellation_point);
#if defined(__linux__)
  sp_tcase_add_thread_test(tc, test_trip_pause_wake_is_no_cancellation_point);
  tcase_add_test(tc, test_trip_blocks_the_reserved_signals);
#endif
  suite_add_tcase(s, tc);

  tc = tcase_create("waits");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  sp_tcase_add_thread_test(tc, test_waits_are_cancellation_points);
  suite_add_tcase(s, tc);
  return s;
}
