/*
 * test_dispatch.c: what dispatch leaves behind and whom it serves: the
 * pending flag says exactly whether something is left, a slot that a trip
 * never finishes writing does not hold dispatch for ever, and a thread
 * that reuses the identity of an exited main thread is not the main
 * thread.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#if defined(SIGPORT_TEST_INTERNALS)
#include "state.h"
#include "trip.h"
#endif

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* Sends with the raw kill(): the trip runs before it returns, and nothing
   is dispatched. */
static void raw_kill(int signum) { ck_assert_int_eq(kill(getpid(), signum), 0); }

/* A delivery recorded before sigport_signal() runs for the old handler,
   and then nothing is pending. */
START_TEST(test_signal_swap_leaves_nothing_pending) {
  struct sp_counter before = {0}, after = {0};
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &before, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_ne(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &after, NULL));
  ck_assert_int_eq(before.calls, 1);
  ck_assert_int_eq(after.calls, 0);
  ck_assert_int_eq(sigport_pending(), 0);
  /* Another signal still pending keeps the flag. */
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &before, NULL));
  raw_kill(SIGUSR2);
  raw_kill(SIGUSR1);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &before, NULL));
  ck_assert_int_eq(after.calls, 1);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(before.calls, 2);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

/* A handler that sends a higher signal, taken by the same dispatch: the
   flag its trip set must not stay. */
static int send_usr2(int signum, const sigport_siginfo_t *info, void *arg) {
  struct sp_counter *c = arg;
  (void)signum;
  (void)info;
  c->calls++;
  raw_kill(SIGUSR2);
  return 0;
}

START_TEST(test_dispatch_leaves_no_stale_flag) {
  struct sp_counter usr1 = {0}, usr2 = {0};
  SP_ASSERT_OK(sigport_signal(SIGUSR1, send_usr2, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(usr2.calls, 1);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

#if defined(SIGPORT_TEST_INTERNALS)
/* A trip that holds the slot and never finishes, as a writer preempted by
   a reader of higher priority on its processor would: dispatch still
   returns, with the count of every delivery and the siginfo it last read
   whole for the signal. */
static void queue_usr1(int value) {
  union sigval v;
  memset(&v, 0, sizeof v);
  v.sival_int = value;
  ck_assert_int_eq(sigqueue(getpid(), SIGUSR1, v), 0);
}

START_TEST(test_held_slot_does_not_hold_dispatch) {
  struct sp_slot *slot = &sp__state.sig[SIGUSR1].slot;
  struct sp_counter c = {0};
  unsigned seq;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  queue_usr1(5);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_int_eq(c.last.value_int, 5);
  /* A record of 9 that a writer stops half way through, holding the
     slot: it writes the copy that readers are not reading. */
  queue_usr1(9);
  ck_assert(!atomic_flag_test_and_set(&slot->busy));
  seq = atomic_load(&slot->seq);
  ck_assert_uint_eq(seq % 2, 0);
  atomic_store(&slot->seq, seq + 1);
  atomic_store(&slot->rec[((seq >> 1) + 1) & 1].value, (intptr_t)-1);
  atomic_store(&slot->rec[((seq >> 1) + 1) & 1].code, -1);
  queue_usr1(11);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 2);
  ck_assert_uint_eq(c.last.count, 2);
  ck_assert_int_eq(c.last.signo, SIGUSR1);
  /* The last whole record, 9's, not the half-written one. */
  ck_assert_int_eq(c.last.code, SI_QUEUE);
  ck_assert_int_eq(c.last.value_int, 9);
  /* The writer finishes: the next delivery is read as it is. */
  atomic_store(&slot->seq, seq + 2);
  atomic_flag_clear(&slot->busy);
  queue_usr1(13);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 3);
  ck_assert_int_eq(c.last.value_int, 13);
}
END_TEST
#endif

#if defined(SIGPORT_TEST_INTERNALS)
/* A wait for trips (here the one in sigport_watch_close()) waits for the
   trips that may have read the old watch list, and not for those that
   started after it: a storm of new trips on other threads cannot hold a
   close up for ever. The trips are the trip's own accounting, entered and
   left by hand, so that one of each kind is running for as long as the
   test says. */
struct closer {
  sigport_watch_t *w;
  int rc;
  atomic_int done;
};

static void *close_watch(void *arg) {
  struct closer *c = arg;
  c->rc = sigport_watch_close(c->w);
  atomic_store(&c->done, 1);
  return NULL;
}

START_TEST(test_close_waits_only_for_older_trips) {
  sigport_sigset_t set;
  struct closer c;
  pthread_t t;
  unsigned phase, older, newer;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &c.w));
  atomic_init(&c.done, 0);
  c.rc = -1;
  phase = atomic_load(&sp__state.trip_phase);
  /* Running when close swaps the list out: it may be reading it. */
  older = sp__trip_enter();
  ck_assert_int_eq(pthread_create(&t, NULL, close_watch, &c), 0);
  while (atomic_load(&sp__state.trip_phase) == phase) sched_yield();
  /* Started after the swap: it reads the new list, which is empty. */
  newer = sp__trip_enter();
  ck_assert_uint_ne(newer, older);
  ck_assert_ptr_null(atomic_load(&sp__state.watches));
  /* The close still waits for the older trip. */
  ck_assert_int_eq(atomic_load(&c.done), 0);
  sp__trip_leave(older);
  /* And ends while the newer one runs (a close that waited for it too
     would never end here, and the test would time out). */
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(c.rc, 0);
  ck_assert_int_eq(atomic_load(&c.done), 1);
  sp__trip_leave(newer);
}
END_TEST
#endif

/* sigport_init() on a thread that then exits. The next thread is given
   the dead thread's descriptor (the C library reuses it), and with it the
   same pthread_t; it must not be taken for the main thread. */
struct init_thread {
  pthread_t self;
  int rc;
};

static void *init_and_exit(void *arg) {
  struct init_thread *it = arg;
  it->self = pthread_self();
  it->rc = sigport_init(0);
  return NULL;
}

struct later_thread {
  pthread_t self;
  int dispatch, signal, pause, init;
};

static void *try_main_calls(void *arg) {
  struct later_thread *lt = arg;
  lt->self = pthread_self();
  lt->dispatch = sigport_dispatch();
  lt->signal = sigport_signal(SIGUSR1, SIGPORT_SIG_IGN, NULL, NULL);
  lt->pause = sigport_pause();
  lt->init = sigport_init(0);
  return NULL;
}

START_TEST(test_dead_main_thread_is_not_reborn) {
  struct init_thread it;
  struct later_thread lt;
  pthread_t t;
  struct sigaction sa;
  memset(&it, 0, sizeof it);
  memset(&lt, 0, sizeof lt);
  ck_assert_int_eq(pthread_create(&t, NULL, init_and_exit, &it), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(it.rc, 0);
  ck_assert_int_eq(pthread_create(&t, NULL, try_main_calls, &lt), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(lt.dispatch, SIGPORT_EVALUE);
  ck_assert_int_eq(lt.signal, SIGPORT_EVALUE);
  ck_assert_int_eq(lt.pause, SIGPORT_EVALUE);
  ck_assert_int_eq(lt.init, SIGPORT_EVALUE);
  /* Nothing was installed. */
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  ck_assert(!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_DFL);
  /* Nor is this thread the main thread. */
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EVALUE);
  /* What makes the test bite: the identity was reused. Printed, since
     the C library does not promise it. */
  if (!pthread_equal(it.self, lt.self))
    fprintf(stderr, "dispatch: the second thread did not reuse the "
                    "pthread_t of the first\n");
}
END_TEST

Suite *sp_suite_dispatch(void) {
  Suite *s = suite_create("dispatch");
  TCase *tc = tcase_create("dispatch");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, test_signal_swap_leaves_nothing_pending);
  tcase_add_test(tc, test_dispatch_leaves_no_stale_flag);
#if defined(SIGPORT_TEST_INTERNALS)
  tcase_add_test(tc, test_held_slot_does_not_hold_dispatch);
  sp_tcase_add_thread_test(tc, test_close_waits_only_for_older_trips);
#endif
  suite_add_tcase(s, tc);

  /* No fixture: sigport_init() runs on a thread of the test's own. */
  tc = tcase_create("main_thread");
  sp_tcase_add_thread_test(tc, test_dead_main_thread_is_not_reborn);
  suite_add_tcase(s, tc);
  return s;
}
