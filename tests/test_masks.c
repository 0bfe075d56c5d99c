/*
 * test_masks.c: pthread_sigmask, sigpending and thread_block, checked
 * against the system's own view of the mask, and the dispatch that
 * unblocking a pending handled signal runs before the call returns.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

static sigset_t saved_mask;
static struct sp_counter usr1, usr2, hup;

static void setup(void) {
  sigset_t none;
  pthread_sigmask(SIG_SETMASK, NULL, &saved_mask);
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  memset(&usr1, 0, sizeof usr1);
  memset(&usr2, 0, sizeof usr2);
  memset(&hup, 0, sizeof hup);
  ck_assert_int_eq(sigport_init(0), 0);
}

static void teardown(void) {
  int i;
  sp_drain_blocked();
  pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
  for (i = 0; i < 100 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

/* What is left out under qemu-user, where the guest cannot block the
   signals from 63 up (sp_test_qemu_limit()). */
static const char high_rt[] = "signals 63 and up in a mask";

/* A sigport set of the given signals, ending with 0. */
static sigport_sigset_t make_set(const int *sigs) {
  sigport_sigset_t set;
  ck_assert_int_eq(sigport_sigemptyset(&set), 0);
  for (; *sigs != 0; sigs++)
    ck_assert_int_eq(sigport_sigaddset(&set, *sigs), 0);
  return set;
}

/* The raw mask of the calling thread. */
static sigset_t raw_mask(void) {
  sigset_t m;
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &m), 0);
  return m;
}

/* Asserts that the raw mask holds exactly the signals of `expected`. */
static void assert_raw_mask(const sigport_sigset_t *expected) {
  sigset_t m = raw_mask();
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (s >= SP_QEMU_HIGH_RT_FIRST &&
        sp_test_qemu_limit(SP_QEMU_HIGH_RT, high_rt))
      continue;
    ck_assert_msg((sigismember(&m, s) == 1) ==
                      (sigport_sigismember(expected, s) == 1),
                  "signal %d: blocked %d, expected %d", s,
                  sigismember(&m, s) == 1, sigport_sigismember(expected, s));
  }
}

static void assert_same_set(const sigport_sigset_t *pa,
                            const sigport_sigset_t *pb) {
  sigport_sigset_t ca = *pa, cb = *pb;
  const sigport_sigset_t *a = &ca, *b = &cb;
  if (sp_test_qemu_limit(SP_QEMU_HIGH_RT, high_rt)) {
    int s;
    for (s = SP_QEMU_HIGH_RT_FIRST; s < SIGPORT_NSIG; s++) {
      ck_assert_int_eq(sigport_sigdelset(&ca, s), 0);
      ck_assert_int_eq(sigport_sigdelset(&cb, s), 0);
    }
  }
  ck_assert_msg(a->bits[0] == b->bits[0] && a->bits[1] == b->bits[1],
                "sets differ: %016llx %016llx / %016llx %016llx",
                (unsigned long long)a->bits[0], (unsigned long long)a->bits[1],
                (unsigned long long)b->bits[0], (unsigned long long)b->bits[1]);
}

/* Whether two raw masks hold the same signals (the C library's sigset_t
   is larger than what the system fills, so memcmp cannot tell). */
static int same_raw(const sigset_t *a, const sigset_t *b) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if ((sigismember(a, s) == 1) != (sigismember(b, s) == 1)) return 0;
  return 1;
}

START_TEST(test_block_unblock_setmask) {
  static const int none[] = {0};
  static const int both[] = {SIGUSR1, SIGUSR2, 0};
  static const int only2[] = {SIGUSR2, 0};
  static const int one[] = {SIGUSR1, 0};
  static const int three[] = {SIGHUP, SIGTERM, 0};
  sigport_sigset_t empty = make_set(none), old, set, expected;
  int rtmin = sigport_sigrtmin();

  set = make_set(both);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, &old));
  assert_same_set(&old, &empty);
  assert_raw_mask(&set);

  /* BLOCK adds to what is there. */
  set = make_set(one);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, &old));
  expected = make_set(both);
  assert_same_set(&old, &expected);
  assert_raw_mask(&expected);

  /* UNBLOCK removes; unblocking what is not blocked is allowed. */
  set = make_set(one);
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGHUP));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, &old));
  assert_same_set(&old, &expected);
  expected = make_set(only2);
  assert_raw_mask(&expected);

  /* SETMASK replaces. */
  set = make_set(three);
  SP_ASSERT_OK(sigport_sigaddset(&set, rtmin));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &set, &old));
  assert_same_set(&old, &expected);
  assert_raw_mask(&set);

  /* An empty BLOCK reads the mask. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, &old));
  assert_same_set(&old, &set);
  assert_raw_mask(&set);

  /* old may be NULL. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &empty, NULL));
  assert_raw_mask(&empty);
}
END_TEST

/* SIGKILL and SIGSTOP are left out silently, as the system does. */
START_TEST(test_kill_and_stop_dropped) {
  sigport_sigset_t all, old, expected;
  static const int some[] = {SIGKILL, SIGSTOP, SIGUSR1, 0};
  static const int usr1_only[] = {SIGUSR1, 0};
  sigport_sigset_t set = make_set(some);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  expected = make_set(usr1_only);
  assert_raw_mask(&expected);
  /* Everything valid: all of it but SIGKILL and SIGSTOP. */
  SP_ASSERT_OK(sigport_sigfillset(&all));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &all, &old));
  assert_same_set(&old, &expected);
  expected = all;
  SP_ASSERT_OK(sigport_sigdelset(&expected, SIGKILL));
  SP_ASSERT_OK(sigport_sigdelset(&expected, SIGSTOP));
  assert_raw_mask(&expected);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, &old));
  assert_same_set(&old, &expected);
}
END_TEST

START_TEST(test_sigpending_shows_blocked_raised) {
  static const int one[] = {SIGUSR1, 0};
  sigport_sigset_t set = make_set(one), pend;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR1), 0);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(raise(SIGUSR1), 0);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR1), 1);
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR2), 0);
  /* Blocked: the trip has not run. */
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(usr1.calls, 0);
  /* Unblocking delivers and dispatches it. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
  ck_assert_int_eq(usr1.calls, 1);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR1), 0);
}
END_TEST

/* A process-directed signal pending while every thread blocks it shows in
   sigpending too. */
START_TEST(test_sigpending_process_directed) {
  static const int one[] = {SIGUSR2, 0};
  sigport_sigset_t set = make_set(one), pend;
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(kill(getpid(), SIGUSR2), 0);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR2), 1);
}
END_TEST

/* Unblocking a pending handled signal runs its handler before the call
   returns, after the mask changed, and returns the handler's result. */
START_TEST(test_unblock_dispatches_and_returns_result) {
  static const int one[] = {SIGUSR1, 0};
  static const int none[] = {0};
  sigport_sigset_t set = make_set(one), empty = make_set(none), old;
  sigset_t m;
  usr1.result = SIGPORT_EUSER - 3;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  ck_assert_int_eq(usr1.calls, 0);
  ck_assert_int_eq(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, &old),
                   SIGPORT_EUSER - 3);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(usr1.last.signo, SIGUSR1);
  ck_assert_int_eq(usr1.last.pid, getpid());
  /* The call's own work was done: old filled, mask changed. */
  assert_same_set(&old, &set);
  m = raw_mask();
  ck_assert_int_eq(sigismember(&m, SIGUSR1), 0);

  /* The same through SETMASK, with a handler that returns 0. */
  usr1.result = 0;
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(raise(SIGUSR1), 0);
  ck_assert_int_eq(usr1.calls, 1);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &empty, &old));
  ck_assert_int_eq(usr1.calls, 2);
  assert_same_set(&old, &set);
  assert_raw_mask(&empty);
}
END_TEST

/* BLOCK does not dispatch: what is pending stays pending. */
START_TEST(test_block_does_not_dispatch) {
  static const int one[] = {SIGUSR2, 0};
  sigport_sigset_t set = make_set(one);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  /* Record a delivery without dispatching it: the raw kill() runs the trip
     only. */
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  ck_assert_int_ne(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(usr1.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  /* UNBLOCK dispatches, whatever it unblocked. */
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
  ck_assert_int_eq(usr1.calls, 1);
}
END_TEST

/* Several pending handled signals: lowest first, and a non-zero result
   leaves the rest pending for the next dispatch. */
START_TEST(test_unblock_several) {
  static const int two[] = {SIGHUP, SIGUSR2, 0};
  sigport_sigset_t set = make_set(two);
  hup.result = SIGPORT_EUSER - 1;
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &hup, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(raise(SIGHUP), 0);
  ck_assert_int_eq(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL),
                   SIGPORT_EUSER - 1);
  ck_assert_int_eq(hup.calls, 1);
  ck_assert_int_eq(usr2.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr2.calls, 1);
}
END_TEST

struct mask_job {
  int rc;
  sigset_t before, after;
  sigport_sigset_t old;
  int dispatched;
};

/* Off the main thread the mask changes and nothing is dispatched. */
static void *unblock_in_worker(void *arg) {
  struct mask_job *job = arg;
  sigport_sigset_t set;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_SETMASK, NULL, &job->before);
  job->rc = sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, &job->old);
  /* Raised and blocked in this thread, then unblocked: the trip runs
     here, and the main thread dispatches later. */
  raise(SIGUSR1);
  if (job->rc == 0)
    job->rc = sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL);
  job->dispatched = usr1.calls;
  pthread_sigmask(SIG_SETMASK, NULL, &job->after);
  return NULL;
}

START_TEST(test_worker_thread_mask) {
  struct mask_job job;
  pthread_t t;
  memset(&job, 0, sizeof job);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, unblock_in_worker, &job), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(job.rc, 0);
  ck_assert_int_eq(job.dispatched, 0);
  ck_assert_int_eq(sigismember(&job.after, SIGUSR1), 0);
  ck_assert_int_eq(sigport_sigismember(&job.old, SIGUSR1), 0);
  /* The delivery waits for the main thread. */
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
}
END_TEST

/* The mask thread_block must give: every valid signal but the faults. */
static void assert_thread_blocked(const sigset_t *m) {
  sigport_sigset_t valid;
  int s;
  ck_assert_int_eq(sigport_valid_signals(&valid), 0);
  for (s = 1; s < SIGPORT_NSIG; s++) {
    int fault = s == SIGSEGV || s == SIGBUS || s == SIGFPE || s == SIGILL ||
                s == SIGTRAP || s == SIGSYS;
    int want = sigport_sigismember(&valid, s) == 1 && !fault &&
               s != SIGKILL && s != SIGSTOP;
    if (s >= SP_QEMU_HIGH_RT_FIRST &&
        sp_test_qemu_limit(SP_QEMU_HIGH_RT, high_rt))
      continue;
    ck_assert_msg((sigismember(m, s) == 1) == want,
                  "signal %d: blocked %d, expected %d", s,
                  sigismember(m, s) == 1, want);
  }
}

START_TEST(test_thread_block_main) {
  static const int some[] = {SIGUSR2, SIGSEGV, 0};
  sigport_sigset_t set = make_set(some), old;
  sigset_t m;
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &set, NULL));
  SP_ASSERT_OK(sigport_thread_block(&old));
  assert_same_set(&old, &set);
  m = raw_mask();
  assert_thread_blocked(&m);
  /* old may be NULL; a second call gives the same. */
  SP_ASSERT_OK(sigport_thread_block(NULL));
  m = raw_mask();
  assert_thread_blocked(&m);
}
END_TEST

struct block_job {
  int rc;
  sigset_t after;
};

static void *block_in_worker(void *arg) {
  struct block_job *job = arg;
  job->rc = sigport_thread_block(NULL);
  pthread_sigmask(SIG_SETMASK, NULL, &job->after);
  return NULL;
}

/* A worker that blocks steals no delivery: a process-directed signal goes
   to the main thread. */
START_TEST(test_thread_block_worker) {
  struct block_job job;
  pthread_t t;
  sigset_t m;
  memset(&job, 0, sizeof job);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, block_in_worker, &job), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(job.rc, 0);
  assert_thread_blocked(&job.after);
  /* The main thread's mask is its own. */
  m = raw_mask();
  ck_assert_int_eq(sigismember(&m, SIGUSR1), 0);
}
END_TEST

START_TEST(test_bad_how) {
  static const int one[] = {SIGUSR1, 0};
  sigport_sigset_t set = make_set(one), old, before, after;
  sigset_t m0, m1;
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  m0 = raw_mask();
  memset(&old, 0xab, sizeof old);
  before = old;
  SP_ASSERT_FAILS(sigport_pthread_sigmask(3, &set, &old), SIGPORT_EVALUE,
                  "sigport_pthread_sigmask: invalid how 3");
  SP_ASSERT_FAILS(sigport_pthread_sigmask(-1, &set, &old), SIGPORT_EVALUE,
                  "invalid how -1");
  SP_ASSERT_FAILS(sigport_pthread_sigmask(SIG_SETMASK + 100, NULL, &old),
                  SIGPORT_EVALUE, "invalid how");
  after = old;
  assert_same_set(&after, &before);
  m1 = raw_mask();
  ck_assert_int_eq(sigismember(&m1, SIGUSR1), 1);
  ck_assert(same_raw(&m0, &m1));
}
END_TEST

START_TEST(test_bad_mask) {
  static const int one[] = {SIGUSR1, 0};
  sigport_sigset_t set = make_set(one), bad, old, before;
  sigset_t m0, m1;
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  m0 = raw_mask();
  memset(&old, 0xab, sizeof old);
  before = old;
  SP_ASSERT_FAILS(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, NULL, &old),
                  SIGPORT_EVALUE, "mask must not be NULL");
  /* Members outside the signal range. */
  bad = set;
  bad.bits[0] |= 1u;
  SP_ASSERT_FAILS(sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &bad, &old),
                  SIGPORT_EVALUE, "signal number 0 out of range");
  /* Signal 100 is out of range where there are fewer signals than on
     MIPS (127). */
  if (SIGPORT_NSIG <= 100) {
    bad = set;
    bad.bits[1] |= (uint64_t)1 << (100 - 64);
    SP_ASSERT_FAILS(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &bad, &old),
                    SIGPORT_EVALUE, "signal number 100 out of range");
  }
  ck_assert(memcmp(&old, &before, sizeof old) == 0);
  m1 = raw_mask();
  ck_assert(same_raw(&m0, &m1));
  SP_ASSERT_FAILS(sigport_sigpending(NULL), SIGPORT_EVALUE,
                  "sigport_sigpending: out must not be NULL");
}
END_TEST

Suite *sp_suite_masks(void) {
  Suite *s = suite_create("masks");
  TCase *tc = tcase_create("masks");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_block_unblock_setmask);
  tcase_add_test(tc, test_kill_and_stop_dropped);
  tcase_add_test(tc, test_sigpending_shows_blocked_raised);
  tcase_add_test(tc, test_sigpending_process_directed);
  tcase_add_test(tc, test_unblock_dispatches_and_returns_result);
  tcase_add_test(tc, test_block_does_not_dispatch);
  tcase_add_test(tc, test_unblock_several);
  sp_tcase_add_thread_test(tc, test_worker_thread_mask);
  tcase_add_test(tc, test_thread_block_main);
  sp_tcase_add_thread_test(tc, test_thread_block_worker);
  suite_add_tcase(s, tc);

  tc = tcase_create("bad_input");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_bad_how);
  tcase_add_test(tc, test_bad_mask);
  suite_add_tcase(s, tc);
  return s;
}
