/*
 * test_waits.c: sigwait, sigwaitinfo and sigtimedwait with real signals
 * and threads: signals sent by other threads, siginfo from sigqueue,
 * timeouts measured on the monotonic clock, interruptions by handled
 * signals outside the set (PEP 475), handler results ending a wait, bad
 * input, and a stress run under a 1 ms interval timer and two sending
 * threads.
 */
#define _GNU_SOURCE /* setresuid() */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

static sigset_t saved_mask;
static struct sp_counter usr1, usr2, alrm;
/* When the SIGUSR1 handler of the interruption tests last ran. */
static double usr1_at_ms;
/* usr1_timed_handler()'s runs, for a shooter thread to wait on. */
static atomic_int usr1_runs;

static void setup(void) {
  sigset_t none;
  pthread_sigmask(SIG_SETMASK, NULL, &saved_mask);
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  memset(&usr1, 0, sizeof usr1);
  memset(&usr2, 0, sizeof usr2);
  memset(&alrm, 0, sizeof alrm);
  usr1_at_ms = 0.0;
  atomic_store(&usr1_runs, 0);
  ck_assert_int_eq(sigport_init(0), 0);
}

static void teardown(void) {
  struct itimerval zero;
  int i;
  memset(&zero, 0, sizeof zero);
  setitimer(ITIMER_REAL, &zero, NULL);
  sp_drain_blocked();
  pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
  for (i = 0; i < 100 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

/* Blocks signum in the calling thread (threads made afterwards inherit
   it) and returns the set of it. */
static sigport_sigset_t block_one(int signum) {
  sigport_sigset_t set;
  ck_assert_int_eq(sigport_sigemptyset(&set), 0);
  ck_assert_int_eq(sigport_sigaddset(&set, signum), 0);
  ck_assert_int_eq(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL), 0);
  return set;
}

static int usr1_timed_handler(int signum, const sigport_siginfo_t *info,
                              void *arg) {
  int rc;
  usr1_at_ms = sp_now_ms();
  rc = sp_count_handler(signum, info, arg);
  atomic_fetch_add(&usr1_runs, 1);
  return rc;
}

/* A thread that sleeps, then sends; then, optionally, sleeps and sends
   again. It blocks every signal first, so that a process-directed signal
   goes to the main thread. With `events` set, on Linux, it waits for
   events instead of sleeping: for the main thread to be asleep before the
   first signal, and for usr1_timed_handler() to have run and the main
   thread to be asleep again before the second, so that both find it in
   the wait whatever the load. */
enum { SEND_THREAD, SEND_PROCESS, SEND_QUEUE };
struct shot {
  int how, signum, delay_ms, value;
  int how2, signum2, delay2_ms;
  int events;
  pthread_t target;
  long target_tid;
  double sent2_at_ms; /* when the second signal went */
  int rc;
};

static int send_one(struct shot *s, int how, int signum) {
  union sigval v;
  switch (how) {
    case SEND_THREAD:
      return pthread_kill(s->target, signum);
    case SEND_PROCESS:
      return kill(getpid(), signum) == 0 ? 0 : errno;
    default:
      /* The whole union is sent: zero it before setting sival_int. */
      memset(&v, 0, sizeof v);
      v.sival_int = s->value;
      return sigqueue(getpid(), signum, v) == 0 ? 0 : errno;
  }
}

/* Waits for the main thread to sleep (Linux, with `events`), or sleeps. */
static void shot_wait(const struct shot *s, int ms) {
#if defined(__linux__)
  if (s->events) {
    sp_wait_until_asleep(s->target_tid);
    return;
  }
#endif
  sp_sleep_ms(ms);
}

static void *shooter(void *arg) {
  struct shot *s = arg;
  (void)sigport_thread_block(NULL);
  shot_wait(s, s->delay_ms);
  s->rc = send_one(s, s->how, s->signum);
  if (s->rc == 0 && s->signum2 != 0) {
#if defined(__linux__)
    if (s->events)
      while (atomic_load(&usr1_runs) < 1) sched_yield();
#endif
    shot_wait(s, s->delay2_ms);
    s->sent2_at_ms = sp_now_ms();
    s->rc = send_one(s, s->how2, s->signum2);
  }
  return NULL;
}

static pthread_t start_shot(struct shot *s) {
  pthread_t t;
  s->target = pthread_self();
  s->target_tid = sp_thread_id();
  ck_assert_int_eq(pthread_create(&t, NULL, shooter, s), 0);
  return t;
}

static void join_shot(pthread_t t, const struct shot *s) {
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(s->rc, 0);
}

/* Whether two raw masks hold the same signals (the C library's sigset_t
   is larger than what the system fills, so memcmp cannot tell). */
static int same_raw(const sigset_t *a, const sigset_t *b) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if ((sigismember(a, s) == 1) != (sigismember(b, s) == 1)) return 0;
  return 1;
}

START_TEST(test_sigwait_from_thread) {
  sigport_sigset_t set = block_one(SIGUSR1);
  struct shot s = {.how = SEND_PROCESS, .signum = SIGUSR1, .delay_ms = 50};
  pthread_t t;
  int got = 0;
  t = start_shot(&s);
  SP_ASSERT_OK(sigport_sigwait(&set, &got));
  ck_assert_int_eq(got, SIGUSR1);
  join_shot(t, &s);
  /* Taken by the wait: nothing left, no handler involved. */
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

START_TEST(test_sigwait_thread_directed) {
  sigport_sigset_t set = block_one(SIGUSR2);
  struct shot s = {.how = SEND_THREAD, .signum = SIGUSR2, .delay_ms = 50};
  pthread_t t;
  int got = 0;
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGHUP));
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  t = start_shot(&s);
  SP_ASSERT_OK(sigport_sigwait(&set, &got));
  ck_assert_int_eq(got, SIGUSR2);
  join_shot(t, &s);
}
END_TEST

/* Already pending: the wait returns at once. */
START_TEST(test_sigwait_already_pending) {
  sigport_sigset_t set = block_one(SIGHUP);
  sigport_sigset_t pend;
  int got = 0;
  ck_assert_int_eq(raise(SIGHUP), 0);
  SP_ASSERT_OK(sigport_sigwait(&set, &got));
  ck_assert_int_eq(got, SIGHUP);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGHUP), 0);
}
END_TEST

START_TEST(test_sigwaitinfo_sigqueue) {
  int rtmin = sigport_sigrtmin();
  sigport_sigset_t set = block_one(rtmin);
  sigport_siginfo_t info;
  union sigval v;
  memset(&v, 0, sizeof v);
  v.sival_int = 1234;
  ck_assert_int_eq(sigqueue(getpid(), rtmin, v), 0);
  memset(&info, 0xab, sizeof info);
  ck_assert_int_eq(sigport_sigwaitinfo(&set, &info), rtmin);
  ck_assert_int_eq(info.signo, rtmin);
  ck_assert_int_eq(info.code, SI_QUEUE);
  ck_assert_int_eq(info.errnum, 0);
  ck_assert_int_eq(info.pid, getpid());
  ck_assert_uint_eq(info.uid, getuid());
  ck_assert_int_eq(info.value_int, 1234);
  ck_assert_uint_eq(info.count, 1);
  ck_assert_int_eq(info.status, 0);
  ck_assert(info.addr == NULL);
  ck_assert(info.reserved32 == 0);
  ck_assert(info.reserved[0] == 0 && info.reserved[2] == 0);
  /* info may be NULL. */
  v.sival_int = 5;
  ck_assert_int_eq(sigqueue(getpid(), rtmin, v), 0);
  ck_assert_int_eq(sigport_sigwaitinfo(&set, NULL), rtmin);
}
END_TEST

/* The sender's pid and real user id. As root the sender drops to 65534,
   and this (forked) test process takes 65534 as its saved user id so that
   the unprivileged sender may signal it. */
START_TEST(test_sigwaitinfo_sender_uid) {
  int rtmin = sigport_sigrtmin(), status = 0, root = getuid() == 0;
  sigport_sigset_t set = block_one(rtmin);
  sigport_siginfo_t info;
  pid_t child;
  if (root) ck_assert_int_eq(setresuid(0, 0, 65534), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    union sigval v;
    if (root && setuid(65534) != 0) _exit(10);
    memset(&v, 0, sizeof v);
    v.sival_int = 99;
    if (sigqueue(getppid(), rtmin, v) != 0) _exit(11);
    _exit(0);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  if (root) ck_assert_int_eq(setresuid(0, 0, 0), 0);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "child status 0x%x", status);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 1);
  ck_assert_int_eq(info.signo, rtmin);
  ck_assert_int_eq(info.code, SI_QUEUE);
  ck_assert_int_eq(info.pid, child);
  ck_assert_uint_eq(info.uid, root ? 65534u : (unsigned)getuid());
  ck_assert_int_eq(info.value_int, 99);
}
END_TEST

/* SIGCHLD carries the child's status. */
START_TEST(test_sigwaitinfo_sigchld_status) {
  sigport_sigset_t set = block_one(SIGCHLD);
  sigport_siginfo_t info;
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) _exit(7);
  ck_assert_int_eq(sigport_sigwaitinfo(&set, &info), SIGCHLD);
  ck_assert_int_eq(info.code, CLD_EXITED);
  ck_assert_int_eq(info.pid, child);
  ck_assert_int_eq(info.status, 7);
  ck_assert_uint_eq(info.count, 1);
  ck_assert_int_eq(waitpid(child, NULL, 0), child);
}
END_TEST

/* The waits and the masks need no sigport_init(). */
START_TEST(test_wait_without_init) {
  sigport_sigset_t set;
  sigport_siginfo_t info;
  int got = 0;
  sigport_shutdown();
  set = block_one(SIGUSR2);
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 1.0, &info), 1);
  ck_assert_int_eq(info.signo, SIGUSR2);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0.01, &info), 0);
  ck_assert_int_eq(raise(SIGUSR2), 0);
  SP_ASSERT_OK(sigport_sigwait(&set, &got));
  ck_assert_int_eq(got, SIGUSR2);
  SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
  /* For the teardown's sigport_shutdown(). */
  ck_assert_int_eq(sigport_init(0), 0);
}
END_TEST

/* Queued real-time signals arrive one at a time, in order, each with its
   own value. */
START_TEST(test_sigwaitinfo_queue_in_order) {
  int rtmin = sigport_sigrtmin(), i;
  sigport_sigset_t set = block_one(rtmin + 2);
  sigport_siginfo_t info;
  union sigval v;
  memset(&v, 0, sizeof v);
  for (i = 0; i < 200; i++) {
    v.sival_int = i;
    ck_assert_int_eq(sigqueue(getpid(), rtmin + 2, v), 0);
  }
  for (i = 0; i < 200; i++) {
    ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 1);
    ck_assert_int_eq(info.signo, rtmin + 2);
    ck_assert_int_eq(info.value_int, i);
    ck_assert_uint_eq(info.count, 1);
  }
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 0);
}
END_TEST

/* A sigqueue() that sets sival_int reads back in value_int, and `value` is
   the same union read as a pointer, on every byte order: on a big-endian
   64-bit system the int is the high half of the union and the two differ.
   Through a wait, and through a handler (the trip's record). */
START_TEST(test_value_int_every_byte_order) {
  static const int values[] = {0x12345678, -2, 0, 1, INT_MAX, INT_MIN};
  int rtmin = sigport_sigrtmin();
  sigport_sigset_t set = block_one(rtmin + 3);
  struct sp_counter c = {0};
  sigport_siginfo_t info;
  union sigval v;
  size_t i;
  SP_ASSERT_OK(sigport_signal(rtmin + 3, sp_count_handler, &c, NULL));
  for (i = 0; i < sizeof values / sizeof values[0]; i++) {
    memset(&v, 0, sizeof v);
    v.sival_int = values[i];
    /* Taken by a wait while blocked. */
    ck_assert_int_eq(sigqueue(getpid(), rtmin + 3, v), 0);
    ck_assert_int_eq(sigport_sigtimedwait(&set, 1.0, &info), 1);
    ck_assert_int_eq(info.value_int, values[i]);
    ck_assert_msg(info.value == (intptr_t)v.sival_ptr,
                  "wait: value 0x%llx, sival_ptr 0x%llx",
                  (unsigned long long)(uintptr_t)info.value,
                  (unsigned long long)(uintptr_t)v.sival_ptr);
    /* Taken by the trip once unblocked, and dispatched by the unblock. */
    ck_assert_int_eq(sigqueue(getpid(), rtmin + 3, v), 0);
    SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
    ck_assert_int_eq(c.calls, (int)i + 1);
    ck_assert_int_eq(c.last.code, SI_QUEUE);
    ck_assert_int_eq(c.last.value_int, values[i]);
    ck_assert_msg(c.last.value == (intptr_t)v.sival_ptr,
                  "handler: value 0x%llx, sival_ptr 0x%llx",
                  (unsigned long long)(uintptr_t)c.last.value,
                  (unsigned long long)(uintptr_t)v.sival_ptr);
    ck_assert(c.last.reserved32 == 0 && c.last.reserved[0] == 0 &&
              c.last.reserved[1] == 0 && c.last.reserved[2] == 0);
    SP_ASSERT_OK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  }
}
END_TEST

START_TEST(test_sigwaitinfo_from_thread) {
  int rtmin = sigport_sigrtmin();
  sigport_sigset_t set = block_one(rtmin + 1);
  struct shot s = {.how = SEND_QUEUE, .delay_ms = 50, .value = 77};
  sigport_siginfo_t info;
  pthread_t t;
  s.signum = rtmin + 1;
  t = start_shot(&s);
  ck_assert_int_eq(sigport_sigwaitinfo(&set, &info), rtmin + 1);
  join_shot(t, &s);
  ck_assert_int_eq(info.code, SI_QUEUE);
  ck_assert_int_eq(info.pid, getpid());
  ck_assert_int_eq(info.value_int, 77);
}
END_TEST

static int raise_usr2(void) { return raise(SIGUSR2); }
static int pthread_kill_usr2(void) {
  return pthread_kill(pthread_self(), SIGUSR2);
}

START_TEST(test_sigtimedwait_gets_one) {
  sigport_sigset_t set = block_one(SIGUSR2);
  sigport_siginfo_t info;
  ck_assert_int_eq(kill(getpid(), SIGUSR2), 0);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 5.0, &info), 1);
  ck_assert_int_eq(info.signo, SIGUSR2);
  ck_assert_int_eq(info.code, SI_USER);
  ck_assert_int_eq(info.pid, getpid());
  ck_assert_uint_eq(info.count, 1);
  /* A zero timeout polls. */
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 1);
  ck_assert_int_eq(info.signo, SIGUSR2);
}
END_TEST

/* The code of a raise() and a pthread_kill() to the calling thread is
   what the C library's own sigtimedwait() reports for the same sending:
   SI_USER on glibc, which folds the kernel's SI_TKILL into it, as Python
   shows it. */
START_TEST(test_wait_code_is_the_c_librarys) {
  sigport_sigset_t set = block_one(SIGUSR2);
  sigport_siginfo_t info;
  siginfo_t native;
  sigset_t nset;
  struct timespec zero = {0, 0};
  int round;
  sigemptyset(&nset);
  sigaddset(&nset, SIGUSR2);
  for (round = 0; round < 2; round++) {
    int (*send)(void) = round == 0 ? raise_usr2 : pthread_kill_usr2;
    memset(&native, 0, sizeof native);
    ck_assert_int_eq(send(), 0);
    ck_assert_int_eq(sigtimedwait(&nset, &native, &zero), SIGUSR2);
    ck_assert_int_eq(send(), 0);
    ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 1);
    ck_assert_int_eq(info.signo, SIGUSR2);
    ck_assert_msg(info.code == native.si_code,
                  "round %d: sigport code %d, the C library's %d", round,
                  info.code, native.si_code);
#if defined(__GLIBC__)
    ck_assert_int_eq(info.code, SI_USER);
#endif
    ck_assert_int_eq(send(), 0);
    ck_assert_int_eq(sigport_sigwaitinfo(&set, &info), SIGUSR2);
    ck_assert_int_eq(info.code, native.si_code);
  }
}
END_TEST

/* The wait is never shorter than asked. Prints the longest overshoot. */
START_TEST(test_sigtimedwait_times_out) {
  static const double timeouts[] = {0.0,   1e-9, 1e-6, 0.001, 0.002, 0.005,
                                    0.01,  0.02, 0.05, 0.1,   0.25,  0.0015,
                                    0.003, 0.01, 0.01, 0.01,  0.01,  0.5};
  sigport_sigset_t set = block_one(SIGUSR2);
  double worst = 0.0, worst_at = 0.0, total = 0.0;
  size_t i, n = sizeof timeouts / sizeof timeouts[0];
  for (i = 0; i < n; i++) {
    sigport_siginfo_t info;
    double start, elapsed, over;
    memset(&info, 0xab, sizeof info);
    start = sp_now_ms();
    ck_assert_int_eq(sigport_sigtimedwait(&set, timeouts[i], &info), 0);
    elapsed = sp_now_ms() - start;
    over = elapsed - timeouts[i] * 1000.0;
    ck_assert_msg(over >= 0.0, "a %.6f s wait returned after %.6f ms",
                  timeouts[i], elapsed);
    /* Zeroed on timeout. */
    ck_assert_int_eq(info.signo, 0);
    ck_assert_uint_eq(info.count, 0);
    ck_assert_int_eq(info.pid, 0);
    ck_assert(info.reserved[1] == 0);
    total += over;
    if (over > worst) {
      worst = over;
      worst_at = timeouts[i];
    }
  }
  printf("waits: sigtimedwait timeouts: %zu waits, longest overshoot "
         "%.3f ms (timeout %g s), mean %.3f ms\n",
         n, worst, worst_at, total / (double)n);
  fflush(stdout);
}
END_TEST

/* A handled signal outside the set interrupts the wait: the handler runs
   during the wait, and the wait goes on for the full time. */
START_TEST(test_sigtimedwait_interrupted_goes_on) {
  sigport_sigset_t set = block_one(SIGUSR2);
  struct shot s = {.how = SEND_THREAD, .signum = SIGUSR1, .delay_ms = 100,
                   .how2 = SEND_THREAD, .signum2 = SIGUSR1, .delay2_ms = 100,
                   .events = 1};
  sigport_siginfo_t info;
  double start, end;
  pthread_t t;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, usr1_timed_handler, &usr1, NULL));
  t = start_shot(&s);
  memset(&info, 0xab, sizeof info);
  start = sp_now_ms();
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0.6, &info), 0);
  end = sp_now_ms();
  join_shot(t, &s);
  ck_assert_msg(end - start >= 600.0, "returned after %.3f ms", end - start);
  /* Both deliveries ran during the wait, which went on to its end. */
  if (sp_test_relaxed_counts())
    ck_assert_int_ge(usr1.calls, 1);
  else
    ck_assert_int_eq(usr1.calls, 2);
  ck_assert_msg(usr1_at_ms > start && usr1_at_ms < end &&
                    s.sent2_at_ms < end,
                "handler ran at %.3f ms (the second signal sent at %.3f ms) "
                "of a %.3f ms wait",
                usr1_at_ms - start, s.sent2_at_ms - start, end - start);
  /* The info is filled, zeroed, after a deadline that expired after an
     EINTR. */
  ck_assert_int_eq(info.signo, 0);
  ck_assert_uint_eq(info.count, 0);
}
END_TEST

/* A handler's non-zero result ends the wait with that value. */
START_TEST(test_sigtimedwait_handler_result) {
  sigport_sigset_t set = block_one(SIGUSR2);
  struct shot s = {.how = SEND_THREAD, .signum = SIGUSR1, .delay_ms = 100};
  sigport_siginfo_t info;
  double start, elapsed;
  pthread_t t;
  usr1.result = SIGPORT_EUSER;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, usr1_timed_handler, &usr1, NULL));
  t = start_shot(&s);
  memset(&info, 0xab, sizeof info);
  start = sp_now_ms();
  ck_assert_int_eq(sigport_sigtimedwait(&set, 3.0, &info), SIGPORT_EUSER);
  elapsed = sp_now_ms() - start;
  join_shot(t, &s);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_msg(elapsed >= 90.0 && elapsed < 2000.0, "returned after %.3f ms",
                elapsed);
  ck_assert_int_eq(info.signo, 0);
  /* The set's signal was not taken: it is still there for the next
     wait. */
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(sigport_sigtimedwait(&set, 0, &info), 1);
}
END_TEST

/* sigwaitinfo goes on after the handler, and gets the set's signal. */
START_TEST(test_sigwaitinfo_interrupted_goes_on) {
  sigport_sigset_t set = block_one(SIGUSR2);
  struct shot s = {.how = SEND_THREAD, .signum = SIGUSR1, .delay_ms = 50,
                   .how2 = SEND_PROCESS, .signum2 = SIGUSR2, .delay2_ms = 150,
                   .events = 1};
  sigport_siginfo_t info;
  double start, end;
  pthread_t t;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, usr1_timed_handler, &usr1, NULL));
  t = start_shot(&s);
  start = sp_now_ms();
  ck_assert_int_eq(sigport_sigwaitinfo(&set, &info), SIGUSR2);
  end = sp_now_ms();
  join_shot(t, &s);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(info.signo, SIGUSR2);
  ck_assert_int_eq(info.code, SI_USER);
  /* The handler ran in the wait, before SIGUSR2 was sent, and the wait
     went on to take SIGUSR2. */
  ck_assert_msg(usr1_at_ms > start && usr1_at_ms <= s.sent2_at_ms &&
                    s.sent2_at_ms <= end,
                "handler at %.3f ms, SIGUSR2 sent at %.3f ms, of %.3f ms",
                usr1_at_ms - start, s.sent2_at_ms - start, end - start);
}
END_TEST

START_TEST(test_sigwait_handler_result) {
  sigport_sigset_t set = block_one(SIGUSR2);
  struct shot s = {.how = SEND_THREAD, .signum = SIGUSR1, .delay_ms = 50};
  pthread_t t;
  int got = -12345;
  usr1.result = SIGPORT_EUSER - 2;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  t = start_shot(&s);
  ck_assert_int_eq(sigport_sigwait(&set, &got), SIGPORT_EUSER - 2);
  join_shot(t, &s);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(got, -12345);
  /* The same through sigwaitinfo. */
  t = start_shot(&s);
  ck_assert_int_eq(sigport_sigwaitinfo(&set, NULL), SIGPORT_EUSER - 2);
  join_shot(t, &s);
  ck_assert_int_eq(usr1.calls, 2);
}
END_TEST

/* What is pending when the wait starts runs first; a non-zero result ends
   the call before it takes a signal of the set. */
START_TEST(test_wait_dispatches_first) {
  sigport_sigset_t set = block_one(SIGUSR2);
  sigport_sigset_t pend;
  int got = 0;
  usr1.result = SIGPORT_EUSER - 9;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(sigport_sigwait(&set, &got), SIGPORT_EUSER - 9);
  ck_assert_int_eq(usr1.calls, 1);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR2), 1);
  SP_ASSERT_OK(sigport_sigwait(&set, &got));
  ck_assert_int_eq(got, SIGUSR2);
}
END_TEST

/* Off the main thread an interrupted wait goes on without dispatching;
   the main thread dispatches afterwards. */
struct worker_wait {
  sigport_sigset_t set;
  int rc, calls_seen;
  double elapsed_ms;
  atomic_int ready;
};

static void *waiting_worker(void *arg) {
  struct worker_wait *w = arg;
  sigport_siginfo_t info;
  double start;
  atomic_store(&w->ready, 1);
  start = sp_now_ms();
  w->rc = sigport_sigtimedwait(&w->set, 0.3, &info);
  w->elapsed_ms = sp_now_ms() - start;
  w->calls_seen = usr1.calls;
  return NULL;
}

START_TEST(test_wait_off_main_thread) {
  struct worker_wait w;
  pthread_t t;
  memset(&w, 0, sizeof w);
  w.set = block_one(SIGUSR2);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, waiting_worker, &w), 0);
  while (!atomic_load(&w.ready)) sched_yield();
  sp_sleep_ms(50);
  ck_assert_int_eq(pthread_kill(t, SIGUSR1), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(w.rc, 0);
  ck_assert_msg(w.elapsed_ms >= 300.0, "returned after %.3f ms", w.elapsed_ms);
  ck_assert_int_eq(w.calls_seen, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
}
END_TEST

START_TEST(test_bad_sets) {
  sigport_sigset_t set = block_one(SIGUSR2), empty, bad, only_kill;
  sigport_siginfo_t info, sentinel;
  sigport_sigset_t pend;
  sigset_t m0, m1;
  int got = -77;
  ck_assert_int_eq(raise(SIGUSR2), 0);
  pthread_sigmask(SIG_SETMASK, NULL, &m0);
  memset(&info, 0xab, sizeof info);
  sentinel = info;
  SP_ASSERT_OK(sigport_sigemptyset(&empty));
  SP_ASSERT_FAILS(sigport_sigwait(NULL, &got), SIGPORT_EVALUE,
                  "sigport_sigwait: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigwait(&empty, &got), SIGPORT_EVALUE,
                  "sigport_sigwait: empty signal set");
  SP_ASSERT_FAILS(sigport_sigwait(&set, NULL), SIGPORT_EVALUE,
                  "signum must not be NULL");
  SP_ASSERT_FAILS(sigport_sigwaitinfo(NULL, &info), SIGPORT_EVALUE,
                  "sigport_sigwaitinfo: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigwaitinfo(&empty, &info), SIGPORT_EVALUE,
                  "sigport_sigwaitinfo: empty signal set");
  SP_ASSERT_FAILS(sigport_sigtimedwait(NULL, 1.0, &info), SIGPORT_EVALUE,
                  "set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&empty, 1.0, &info), SIGPORT_EVALUE,
                  "sigport_sigtimedwait: empty signal set");
  /* SIGKILL and SIGSTOP cannot be waited for. */
  SP_ASSERT_OK(sigport_sigemptyset(&only_kill));
  SP_ASSERT_OK(sigport_sigaddset(&only_kill, SIGKILL));
  SP_ASSERT_OK(sigport_sigaddset(&only_kill, SIGSTOP));
  SP_ASSERT_FAILS(sigport_sigtimedwait(&only_kill, 0, &info), SIGPORT_EVALUE,
                  "empty signal set");
  SP_ASSERT_FAILS(sigport_sigwait(&only_kill, &got), SIGPORT_EVALUE,
                  "empty signal set");
  /* Members outside the range. */
  bad = set;
  bad.bits[0] |= 1u;
  SP_ASSERT_FAILS(sigport_sigwait(&bad, &got), SIGPORT_EVALUE,
                  "signal number 0 out of range");
  /* 127 is a signal on MIPS, out of range elsewhere. */
  if (SIGPORT_NSIG <= 127) {
    bad = set;
    bad.bits[1] |= (uint64_t)1 << 63;
    SP_ASSERT_FAILS(sigport_sigtimedwait(&bad, 0, &info), SIGPORT_EVALUE,
                    "signal number 127 out of range");
  }
  /* Nothing written, nothing taken, the mask as it was. */
  ck_assert_int_eq(got, -77);
  ck_assert(memcmp(&info, &sentinel, sizeof info) == 0);
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR2), 1);
  pthread_sigmask(SIG_SETMASK, NULL, &m1);
  ck_assert(same_raw(&m0, &m1));
}
END_TEST

START_TEST(test_bad_timeouts) {
  sigport_sigset_t set = block_one(SIGUSR2), pend;
  sigport_siginfo_t info, sentinel;
  ck_assert_int_eq(raise(SIGUSR2), 0);
  memset(&info, 0xab, sizeof info);
  sentinel = info;
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, -1.0, &info), SIGPORT_EVALUE,
                  "sigport_sigtimedwait: timeout -1 must be non-negative");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, -1e-9, &info), SIGPORT_EVALUE,
                  "timeout -1e-09 must be non-negative");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, NAN, &info), SIGPORT_EVALUE,
                  "sigport_sigtimedwait: invalid timeout nan");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, INFINITY, &info), SIGPORT_EVALUE,
                  "invalid timeout inf");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, -INFINITY, NULL), SIGPORT_EVALUE,
                  "invalid timeout -inf");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, 1e300, &info), SIGPORT_EVALUE,
                  "timeout 1e+300 too large");
  SP_ASSERT_FAILS(sigport_sigtimedwait(&set, 1e10, &info), SIGPORT_EVALUE,
                  "timeout 1e+10 too large");
  ck_assert(memcmp(&info, &sentinel, sizeof info) == 0);
  /* The pending signal was not taken. */
  SP_ASSERT_OK(sigport_sigpending(&pend));
  ck_assert_int_eq(sigport_sigismember(&pend, SIGUSR2), 1);
  /* A large valid timeout is fine: the signal is there. */
  ck_assert_int_eq(sigport_sigtimedwait(&set, 9e9, &info), 1);
  ck_assert_int_eq(info.signo, SIGUSR2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Stress: a 1 ms interval timer and two threads sending SIGUSR1 and   */
/* SIGUSR2 to the process for 5 seconds, plus SIGRTMIN queued now and  */
/* then, while the main thread sits in sigtimedwait on SIGRTMIN and    */
/* dispatches.                                                         */
/* ------------------------------------------------------------------ */

static atomic_int stress_stop;
static atomic_ulong sent_usr1, sent_usr2, sent_rt;

struct sender {
  int signum;
  atomic_ulong *sent;
};

static void *sender_main(void *arg) {
  const struct sender *s = arg;
  int rtmin = sigport_sigrtmin();
  unsigned long i = 0;
  /* This thread takes no delivery: everything goes to the main thread. */
  (void)sigport_thread_block(NULL);
  while (!atomic_load_explicit(&stress_stop, memory_order_relaxed)) {
    if (kill(getpid(), s->signum) == 0)
      atomic_fetch_add_explicit(s->sent, 1, memory_order_relaxed);
    if (++i % 1000 == 0) {
      union sigval v;
      memset(&v, 0, sizeof v);
      v.sival_int = (int)i;
      if (sigqueue(getpid(), rtmin, v) == 0)
        atomic_fetch_add_explicit(&sent_rt, 1, memory_order_relaxed);
    }
    if (i % 8 == 0) sched_yield();
  }
  return NULL;
}

START_TEST(test_stress) {
  const double run_ms = 5000.0, timeout_s = 0.002;
  int rtmin = sigport_sigrtmin();
  struct sender s1 = {SIGUSR1, &sent_usr1}, s2 = {SIGUSR2, &sent_usr2};
  sigport_sigset_t set = block_one(rtmin);
  unsigned long got_rt = 0, timeouts = 0, waits = 0, n1, n2, nrt;
  double start, worst_over = 0.0, elapsed;
  pthread_t t1, t2;
  sigport_siginfo_t info;
  int rc;

  atomic_store(&stress_stop, 0);
  atomic_store(&sent_usr1, 0);
  atomic_store(&sent_usr2, 0);
  atomic_store(&sent_rt, 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  SP_ASSERT_OK(sigport_signal(SIGALRM, sp_count_handler, &alrm, NULL));
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.001, 0.001, NULL));
  ck_assert_int_eq(pthread_create(&t1, NULL, sender_main, &s1), 0);
  ck_assert_int_eq(pthread_create(&t2, NULL, sender_main, &s2), 0);

  start = sp_now_ms();
  while (sp_now_ms() - start < run_ms) {
    double t0 = sp_now_ms(), took;
    rc = sigport_sigtimedwait(&set, timeout_s, &info);
    took = sp_now_ms() - t0;
    waits++;
    if (rc == 1) {
      ck_assert_int_eq(info.signo, rtmin);
      ck_assert_int_eq(info.code, SI_QUEUE);
      ck_assert_uint_eq(info.count, 1);
      got_rt++;
    } else {
      ck_assert_msg(rc == 0, "sigtimedwait returned %d: %s", rc,
                    sigport_last_error());
      ck_assert_msg(took >= timeout_s * 1000.0,
                    "timed out after %.3f ms of %.0f", took,
                    timeout_s * 1000.0);
      if (took - timeout_s * 1000.0 > worst_over)
        worst_over = took - timeout_s * 1000.0;
      timeouts++;
    }
    ck_assert_int_eq(sigport_dispatch(), 0);
  }
  atomic_store(&stress_stop, 1);
  ck_assert_int_eq(pthread_join(t1, NULL), 0);
  ck_assert_int_eq(pthread_join(t2, NULL), 0);
  SP_ASSERT_OK(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
  elapsed = sp_now_ms() - start;

  /* Take what is still queued, then run what is still pending. */
  while ((rc = sigport_sigtimedwait(&set, 0, &info)) == 1) got_rt++;
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(sigport_dispatch(), 0);

  n1 = atomic_load(&sent_usr1);
  n2 = atomic_load(&sent_usr2);
  nrt = atomic_load(&sent_rt);
  printf("waits: stress %.0f ms: SIGUSR1 %lu sent / %lu handled in %d calls, "
         "SIGUSR2 %lu / %lu in %d, SIGALRM %lu in %d calls, SIGRTMIN %lu "
         "sent / %lu waited; %lu waits, %lu timeouts, longest timeout "
         "overshoot %.3f ms\n",
         elapsed, n1, usr1.total, usr1.calls, n2, usr2.total, usr2.calls,
         alrm.total, alrm.calls, nrt, got_rt, waits, timeouts, worst_over);
  fflush(stdout);

  ck_assert_uint_ge(n1, 1);
  ck_assert_uint_ge(n2, 1);
  ck_assert_uint_ge(usr1.total, 1);
  ck_assert_uint_le(usr1.total, n1);
  ck_assert_uint_ge(usr2.total, 1);
  ck_assert_uint_le(usr2.total, n2);
  ck_assert_uint_ge(alrm.total, 1);
  /* No more timer signals than 1 ms periods. */
  ck_assert_uint_le(alrm.total, (unsigned long)elapsed + 1);
  ck_assert_uint_ge(nrt, 1);
  if (sp_test_relaxed_counts()) {
    ck_assert_uint_ge(got_rt, 1);
    ck_assert_uint_le(got_rt, nrt);
  } else {
    ck_assert_uint_eq(got_rt, nrt);
  }
}
END_TEST

Suite *sp_suite_waits(void) {
  Suite *s = suite_create("waits");
  TCase *tc = tcase_create("waits");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 10);
  sp_tcase_add_thread_test(tc, test_sigwait_from_thread);
  sp_tcase_add_thread_test(tc, test_sigwait_thread_directed);
  tcase_add_test(tc, test_sigwait_already_pending);
  tcase_add_test(tc, test_sigwaitinfo_sigqueue);
  tcase_add_test(tc, test_sigwaitinfo_sender_uid);
  tcase_add_test(tc, test_sigwaitinfo_sigchld_status);
  tcase_add_test(tc, test_wait_without_init);
  tcase_add_test(tc, test_sigwaitinfo_queue_in_order);
  sp_tcase_add_thread_test(tc, test_sigwaitinfo_from_thread);
  tcase_add_test(tc, test_value_int_every_byte_order);
  tcase_add_test(tc, test_sigtimedwait_gets_one);
  tcase_add_test(tc, test_wait_code_is_the_c_librarys);
  tcase_add_test(tc, test_sigtimedwait_times_out);
  sp_tcase_add_thread_test(tc, test_sigtimedwait_interrupted_goes_on);
  sp_tcase_add_thread_test(tc, test_sigtimedwait_handler_result);
  sp_tcase_add_thread_test(tc, test_sigwaitinfo_interrupted_goes_on);
  sp_tcase_add_thread_test(tc, test_sigwait_handler_result);
  tcase_add_test(tc, test_wait_dispatches_first);
  sp_tcase_add_thread_test(tc, test_wait_off_main_thread);
  suite_add_tcase(s, tc);

  tc = tcase_create("bad_input");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_bad_sets);
  tcase_add_test(tc, test_bad_timeouts);
  suite_add_tcase(s, tc);

  tc = tcase_create("stress");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30);
  sp_tcase_add_thread_test(tc, test_stress);
  suite_add_tcase(s, tc);
  return s;
}
