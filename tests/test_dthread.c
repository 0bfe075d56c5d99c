/*
 * test_dthread.c: the dispatch thread (SPEC 6.4): handlers run there while
 * the main thread only sleeps, with exact counts under a storm; handlers
 * swapped during a storm are never run with another's arg; results stop
 * it, a KeyboardInterrupt ends the process by SIGINT unless asked not to;
 * bad calls; fork(); shutdown. POSIX and Windows.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif

/* ------------------------------------------------------------------ */
/* An acknowledgement that a handler on the dispatch thread posts and the */
/* test waits for: a pipe on POSIX, an event on Windows.                 */
/* ------------------------------------------------------------------ */

#if defined(_WIN32)
struct ack {
  HANDLE ev;
};
static void ack_open(struct ack *a) {
  a->ev = CreateEventW(NULL, FALSE, FALSE, NULL);
  ck_assert_ptr_nonnull(a->ev);
}
static void ack_post(struct ack *a) { (void)SetEvent(a->ev); }
static void ack_wait(struct ack *a) {
  ck_assert_uint_eq(WaitForSingleObject(a->ev, INFINITE), WAIT_OBJECT_0);
}
static void ack_close(struct ack *a) { CloseHandle(a->ev); }
#else
struct ack {
  int fd[2];
};
static void ack_open(struct ack *a) { ck_assert_int_eq(pipe(a->fd), 0); }
static void ack_post(struct ack *a) {
  char byte = 1;
  ssize_t n = write(a->fd[1], &byte, 1);
  (void)n;
}
static void ack_wait(struct ack *a) {
  char byte;
  ssize_t n;
  do {
    n = read(a->fd[0], &byte, 1);
  } while (n < 0 && errno == EINTR); /* a delivery to this thread */
  /* Check only on failure: every passing Check assertion takes Check's
     lock and writes to its pipe, and the storms call this in a loop. */
  if (n != 1) ck_abort_msg("reading the acknowledgement returned %d", (int)n);
}
static void ack_close(struct ack *a) {
  close(a->fd[0]);
  close(a->fd[1]);
}
#endif

/* The main thread, set before the dispatch thread starts. */
static sigport_thread_t main_id;

/* What a handler saw: calls, calls on the main thread, calls whose arg
   was not its own. Atomics: the dispatch thread writes, the main thread
   reads. */
struct seen {
  atomic_int calls;
  atomic_int on_main;
  atomic_int wrong_arg;
  int result;       /* what the handler returns; set before it can run */
  struct ack *ack;  /* posted after each call, if not NULL */
};

static void seen_call(struct seen *s) {
  if (sigport_thread_equal(sigport_thread_self(), main_id))
    atomic_fetch_add(&s->on_main, 1);
  atomic_fetch_add(&s->calls, 1);
}

static int seen_handler(int signum, const sigport_siginfo_t *info,
                        void *arg) {
  struct seen *s = arg;
  (void)signum;
  (void)info;
  seen_call(s);
  if (s->ack != NULL) ack_post(s->ack);
  return s->result;
}

static void setup(void) {
  main_id = sigport_thread_self();
  ck_assert_int_eq(sigport_init(0), 0);
}

/* A failed test may leave the thread running: shutdown stops it. */
static void teardown(void) { sigport_shutdown(); }

/* ------------------------------------------------------------------ */
/* Portable                                                             */
/* ------------------------------------------------------------------ */

/* Bad calls: exact codes, messages that name the problem, nothing
   changed. */
START_TEST(test_bad_calls) {
  SP_ASSERT_FAILS(sigport_dispatch_thread_stop(), SIGPORT_EVALUE,
                  "sigport_dispatch_thread_stop: the dispatch thread is not "
                  "running");
  SP_ASSERT_FAILS(sigport_dispatch_thread_start(0x2), SIGPORT_EVALUE,
                  "sigport_dispatch_thread_start: unknown flags 0x2");
  SP_ASSERT_FAILS(sigport_dispatch_thread_start(0x80000001u), SIGPORT_EVALUE,
                  "unknown flags 0x80000000");
  /* Nothing started: the main thread still dispatches. */
  SP_ASSERT_OK(sigport_dispatch());
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  SP_ASSERT_FAILS(sigport_dispatch_thread_start(0), SIGPORT_EVALUE,
                  "sigport_dispatch_thread_start: the dispatch thread is "
                  "already running");
  SP_ASSERT_FAILS(sigport_dispatch_thread_start(SIGPORT_DISPATCH_KEEP_RUNNING),
                  SIGPORT_EVALUE, "already running");
  SP_ASSERT_FAILS(sigport_dispatch(), SIGPORT_EVALUE,
                  "sigport_dispatch: the dispatch thread runs the handlers");
  SP_ASSERT_FAILS(sigport_pause(), SIGPORT_EVALUE,
                  "sigport_pause: the dispatch thread runs the handlers");
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  SP_ASSERT_FAILS(sigport_dispatch_thread_stop(), SIGPORT_EVALUE,
                  "not running");
  SP_ASSERT_OK(sigport_dispatch());
}
END_TEST

/* Before sigport_init(): the library's usual error. */
START_TEST(test_not_initialised) {
  sigport_shutdown();
  SP_ASSERT_FAILS(sigport_dispatch_thread_start(0), SIGPORT_EVALUE,
                  "sigport_dispatch_thread_start: sigport is not initialised");
  SP_ASSERT_FAILS(sigport_dispatch_thread_stop(), SIGPORT_EVALUE,
                  "sigport_dispatch_thread_stop: sigport is not initialised");
  ck_assert_int_eq(sigport_init(0), 0);
}
END_TEST

/* A raise on the main thread: the handler runs on the dispatch thread,
   and stop returns 0. */
START_TEST(test_raise_runs_on_thread) {
  struct ack ack;
  struct seen s;
  memset(&s, 0, sizeof s);
  ack_open(&ack);
  s.ack = &ack;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, seen_handler, &s, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  /* Dispatches nothing here: what it made is the thread's. */
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGTERM));
  ack_wait(&ack);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(sigport_pending(), 0);
  ack_close(&ack);
}
END_TEST

/* A handler's non-zero result stops the thread, and stop returns it. What
   was raised before stop is dispatched before the thread ends. */
START_TEST(test_result_stops_thread) {
  struct seen s;
  memset(&s, 0, sizeof s);
  s.result = SIGPORT_EUSER - 7;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, seen_handler, &s, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGTERM));
  ck_assert_int_eq(sigport_dispatch_thread_stop(), SIGPORT_EUSER - 7);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  /* Started again, it starts afresh: nothing to return. */
  s.result = 0;
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
}
END_TEST

/* The last shutdown stops a running thread; a shutdown that is not the
   last leaves it running. */
START_TEST(test_shutdown_stops_thread) {
  ck_assert_int_eq(sigport_init(0), 0); /* counted: two now */
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  sigport_shutdown();
  SP_ASSERT_FAILS(sigport_dispatch(), SIGPORT_EVALUE,
                  "the dispatch thread runs the handlers");
  sigport_shutdown();
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_FAILS(sigport_dispatch_thread_stop(), SIGPORT_EVALUE,
                  "not running");
  SP_ASSERT_OK(sigport_dispatch());
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
}
END_TEST

/* Start and stop from another thread: the main-thread error. */
static atomic_int other_start_rc, other_stop_rc;
static char other_msg[256];
static void other_thread_calls(void) {
  atomic_store(&other_start_rc, sigport_dispatch_thread_start(0));
  snprintf(other_msg, sizeof other_msg, "%s", sigport_last_error());
  atomic_store(&other_stop_rc, sigport_dispatch_thread_stop());
}

#if defined(_WIN32)
static DWORD WINAPI other_thread(LPVOID unused) {
  (void)unused;
  other_thread_calls();
  return 0;
}
static void run_in_other_thread(void) {
  HANDLE t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
  CloseHandle(t);
}
#else
static void *other_thread(void *unused) {
  (void)unused;
  other_thread_calls();
  return NULL;
}
static void run_in_other_thread(void) {
  pthread_t t;
  ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
}
#endif

START_TEST(test_other_thread_refused) {
  run_in_other_thread();
  ck_assert_int_eq(atomic_load(&other_start_rc), SIGPORT_EVALUE);
  ck_assert_int_eq(atomic_load(&other_stop_rc), SIGPORT_EVALUE);
  ck_assert_msg(strstr(other_msg, "only works in the main thread") != NULL,
                "%s", other_msg);
  SP_ASSERT_FAILS(sigport_dispatch_thread_stop(), SIGPORT_EVALUE,
                  "not running");
}
END_TEST

/* With KEEP_RUNNING, a KeyboardInterrupt is stop's result and the process
   goes on. */
START_TEST(test_keep_running) {
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGINT, sigport_default_int_handler,
                              NULL, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(SIGPORT_DISPATCH_KEEP_RUNNING));
  SP_ASSERT_OK(sigport_raise(SIGPORT_SIGINT));
  ck_assert_int_eq(sigport_dispatch_thread_stop(),
                   SIGPORT_EKEYBOARDINTERRUPT);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGINT, SIGPORT_SIG_DFL, NULL, NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Windows                                                              */
/* ------------------------------------------------------------------ */

#if defined(_WIN32)

/* The backend's console control handler, a test hook (src/win32/win32.h),
   called from a thread of the test's as the system calls it. */
BOOL WINAPI sp__win32_console_handler(DWORD event);

static DWORD console_event;
static BOOL console_result;
static DWORD WINAPI console_thread(LPVOID unused) {
  (void)unused;
  console_result = sp__win32_console_handler(console_event);
  return 0;
}
static BOOL console_call(DWORD event) {
  HANDLE t;
  console_event = event;
  console_result = FALSE;
  t = CreateThread(NULL, 0, console_thread, NULL, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
  CloseHandle(t);
  return console_result;
}

/* A Ctrl+C: its handler runs on the dispatch thread. */
START_TEST(test_console_ctrl_c) {
  struct ack ack;
  struct seen s;
  memset(&s, 0, sizeof s);
  ack_open(&ack);
  s.ack = &ack;
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGINT, seen_handler, &s, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert(console_call(CTRL_C_EVENT));
  ack_wait(&ack);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGINT, SIGPORT_SIG_DFL, NULL, NULL));
  ack_close(&ack);
}
END_TEST

/* CTRL_CLOSE_EVENT: the console thread waits for a dispatch before it
   returns (the system ends the process then), and the dispatch thread
   makes it while the main thread only waits: the handler has run when
   the console handler returns. */
START_TEST(test_console_close_dispatched_by_thread) {
  struct seen s;
  memset(&s, 0, sizeof s);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGBREAK, seen_handler, &s, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert(console_call(CTRL_CLOSE_EVENT));
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGBREAK, SIGPORT_SIG_DFL, NULL, NULL));
}
END_TEST

#endif /* _WIN32 */

/* ------------------------------------------------------------------ */
/* POSIX                                                                */
/* ------------------------------------------------------------------ */

#if !defined(_WIN32)

#define STORM 2000

static int under_tsan(void) {
  const char *v = getenv("SIGPORT_TEST_RELAXED");
  return v != NULL && strcmp(v, "tsan") == 0;
}

/* The storm: a second thread sends STORM SIGTERMs to the process, each
   after the handler acknowledged the one before, so none coalesces. The
   main thread blocks SIGTERM, so each delivery's raw handler runs in the
   sender; the dispatch thread blocks everything. */
struct storm {
  struct ack ack;
  atomic_int sent;
  atomic_int done;
  pthread_t sender, main;
  long main_tid;
};

static void *storm_sender(void *arg) {
  struct storm *st = arg;
  sigset_t term;
  int i;
  /* Made by the main thread with SIGTERM blocked: this thread takes it. */
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ck_assert_int_eq(pthread_sigmask(SIG_UNBLOCK, &term, NULL), 0);
  /* No Check call inside the loop: each takes Check's lock and writes
     to its pipe, and under valgrind a loop of them starves the other
     threads. A failed kill() ends the storm short, which the test sees. */
  for (i = 0; i < STORM; i++) {
    if (kill(getpid(), SIGTERM) != 0) break;
    atomic_fetch_add(&st->sent, 1);
    ack_wait(&st->ack);
  }
  atomic_store(&st->done, 1);
  return NULL;
}

/* The storm, then a SIGUSR1 to the main thread, once it sleeps. */
static void *storm_sender_waking(void *arg) {
  struct storm *st = arg;
  storm_sender(arg);
#if defined(__linux__)
  /* Asleep in nanosleep(), its only wait: the SIGUSR1 interrupts it,
     after `done` was set. */
  sp_wait_until_asleep(st->main_tid);
#endif
  ck_assert_int_eq(pthread_kill(st->main, SIGUSR1), 0);
  return NULL;
}

static void block_in_this_thread(int signum, sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signum);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, old), 0);
}

/* A program whose main thread only sleeps: its SIGTERM handler runs on
   the dispatch thread, once for each SIGTERM sent. */
START_TEST(test_sleeping_main_storm) {
  struct storm st;
  struct seen term, usr1;
  sigset_t old;
  struct timespec hour = {3600, 0};
  memset(&st, 0, sizeof st);
  memset(&term, 0, sizeof term);
  memset(&usr1, 0, sizeof usr1);
  ack_open(&st.ack);
  term.ack = &st.ack;
  st.main_tid = sp_thread_id();
  st.main = pthread_self();
  SP_ASSERT_OK(sigport_signal(SIGTERM, seen_handler, &term, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, seen_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  block_in_this_thread(SIGTERM, &old);
  ck_assert_int_eq(
      pthread_create(&st.sender, NULL, storm_sender_waking, &st), 0);
  /* Only sleeps; the SIGUSR1 at the end interrupts it. */
  while (!atomic_load(&st.done)) (void)nanosleep(&hour, NULL);
  ck_assert_int_eq(pthread_join(st.sender, NULL), 0);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_int_eq(atomic_load(&st.sent), STORM);
  ck_assert_int_eq(atomic_load(&term.calls), STORM);
  ck_assert_int_eq(atomic_load(&term.on_main), 0);
  /* The wake's SIGUSR1: run by the thread, or pending for the main
     thread if it came after the stop. */
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(atomic_load(&usr1.calls), 1);
  SP_ASSERT_OK(sigport_signal(SIGTERM, SIGPORT_SIG_DFL, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
  ack_close(&st.ack);
}
END_TEST

/* Two handlers, each with its own arg, swapped by the main thread in a
   loop during a storm: no call ever gets the other's arg, and every
   delivery runs one of them on the dispatch thread. */
struct swap_arg {
  struct seen *mine;
  struct seen *total;
};
static struct seen swap_a, swap_b, swap_total;
static int swap_handler_a(int signum, const sigport_siginfo_t *info,
                          void *arg) {
  (void)signum;
  (void)info;
  if (arg != &swap_a) atomic_fetch_add(&swap_total.wrong_arg, 1);
  seen_call(&swap_a);
  seen_call(&swap_total);
  ack_post(swap_total.ack);
  return 0;
}
static int swap_handler_b(int signum, const sigport_siginfo_t *info,
                          void *arg) {
  (void)signum;
  (void)info;
  if (arg != &swap_b) atomic_fetch_add(&swap_total.wrong_arg, 1);
  seen_call(&swap_b);
  seen_call(&swap_total);
  ack_post(swap_total.ack);
  return 0;
}

START_TEST(test_swap_during_storm) {
  struct storm st;
  sigset_t old;
  long swaps = 0;
  int swap_failed = 0;
  memset(&st, 0, sizeof st);
  memset(&swap_a, 0, sizeof swap_a);
  memset(&swap_b, 0, sizeof swap_b);
  memset(&swap_total, 0, sizeof swap_total);
  ack_open(&st.ack);
  swap_total.ack = &st.ack;
  SP_ASSERT_OK(sigport_signal(SIGTERM, swap_handler_a, &swap_a, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  block_in_this_thread(SIGTERM, &old);
  ck_assert_int_eq(pthread_create(&st.sender, NULL, storm_sender, &st), 0);
  /* The swaps check their results after the loop: a Check assertion in
     this busy loop would take Check's lock thousands of times a second
     and starve the sender, which takes it too. */
  while (!atomic_load(&st.done)) {
    swap_failed = sigport_signal(SIGTERM, swap_handler_b, &swap_b, NULL);
    if (swap_failed == 0)
      swap_failed = sigport_signal(SIGTERM, swap_handler_a, &swap_a, NULL);
    if (swap_failed != 0) break;
    swaps += 2;
  }
  ck_assert_int_eq(pthread_join(st.sender, NULL), 0);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_msg(swap_failed == 0, "a swap's sigport_signal returned %d",
                swap_failed);
  ck_assert_int_eq(atomic_load(&st.sent), STORM);
  ck_assert_int_eq(atomic_load(&swap_total.wrong_arg), 0);
  ck_assert_int_eq(atomic_load(&swap_total.calls), STORM);
  ck_assert_int_eq(atomic_load(&swap_a.calls) + atomic_load(&swap_b.calls),
                   STORM);
  ck_assert_int_eq(atomic_load(&swap_total.on_main), 0);
  ck_assert_int_gt(swaps, 0);
  SP_ASSERT_OK(sigport_signal(SIGTERM, SIGPORT_SIG_DFL, NULL, NULL));
  ack_close(&st.ack);
}
END_TEST

/* The default SIGINT handler on the thread: the process ends by SIGINT,
   as an uncaught KeyboardInterrupt ends Python. In a child. */
START_TEST(test_keyboard_interrupt_ends_process) {
  int status;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    if (sigport_signal(SIGINT, sigport_default_int_handler, NULL, NULL) != 0)
      _exit(10);
    if (sigport_dispatch_thread_start(0) != 0) _exit(11);
    if (kill(getpid(), SIGINT) != 0) _exit(12);
    /* The main thread waits to be ended. */
    for (;;) pause();
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
                "status 0x%x", status);
}
END_TEST

/* An added handler and a child's callback run on the thread too. */
static atomic_int child_cb_calls, child_cb_on_main, child_cb_code;
static struct ack *child_cb_ack;
static int child_cb(const sigport_child_status_t *st, void *arg) {
  (void)arg;
  if (sigport_thread_equal(sigport_thread_self(), main_id))
    atomic_fetch_add(&child_cb_on_main, 1);
  atomic_store(&child_cb_code, st->code);
  atomic_fetch_add(&child_cb_calls, 1);
  ack_post(child_cb_ack);
  return 0;
}

START_TEST(test_added_and_child_on_thread) {
  struct ack ack;
  struct seen added;
  uint64_t id;
  pid_t pid;
  memset(&added, 0, sizeof added);
  ack_open(&ack);
  added.ack = &ack;
  child_cb_ack = &ack;
  SP_ASSERT_OK(sigport_add_handler(SIGUSR2, seen_handler, &added, 0, &id));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  SP_ASSERT_OK(sigport_kill(getpid(), SIGUSR2));
  ack_wait(&ack);
  ck_assert_int_eq(atomic_load(&added.calls), 1);
  ck_assert_int_eq(atomic_load(&added.on_main), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) _exit(7);
  SP_ASSERT_OK(sigport_watch_child(pid, child_cb, NULL));
  ack_wait(&ack);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_int_eq(atomic_load(&child_cb_calls), 1);
  ck_assert_int_eq(atomic_load(&child_cb_on_main), 0);
  ck_assert_int_eq(atomic_load(&child_cb_code), 7);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ack_close(&ack);
}
END_TEST

/* Waits until the dispatch thread has started and sleeps: it ran a
   SIGUSR1 handler, and on Linux it is asleep in the kernel. A fork() made
   while a thread is still starting may copy a lock that the thread holds
   for good: the sanitizers' allocators take locks of their own as a thread
   starts, which their fork() does not take, and the child's first thread
   then waits for it forever. */
static atomic_long settled_tid;
static struct ack *settled_ack;
static int settled_handler(int signum, const sigport_siginfo_t *info,
                           void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  atomic_store(&settled_tid, sp_thread_id());
  ack_post(settled_ack);
  return 0;
}
static void wait_thread_settled(struct ack *ack) {
  atomic_store(&settled_tid, 0);
  settled_ack = ack;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, settled_handler, NULL, NULL));
  SP_ASSERT_OK(sigport_raise(SIGUSR1));
  ack_wait(ack);
  ck_assert_msg(atomic_load(&settled_tid) != 0, "the handler saw no thread id");
#if defined(__linux__)
  sp_wait_until_asleep(atomic_load(&settled_tid));
#endif
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
}

/* fork() while the thread runs, with a SIGTERM pending (blocked) in the
   parent: the child has no dispatch thread, and dispatch on its main
   thread runs the handler there. The parent's thread runs the parent's
   SIGTERM once it is unblocked. */
START_TEST(test_fork_while_running) {
  struct ack ack;
  struct seen s;
  sigset_t old;
  int status;
  pid_t pid;
  memset(&s, 0, sizeof s);
  ack_open(&ack);
  s.ack = &ack;
  SP_ASSERT_OK(sigport_signal(SIGTERM, seen_handler, &s, NULL));
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  wait_thread_settled(&ack);
  block_in_this_thread(SIGTERM, &old);
  ck_assert_int_eq(pthread_kill(pthread_self(), SIGTERM), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    sigset_t none;
    s.ack = NULL; /* the parent's pipe */
    /* A process's signals pending at fork() are not the child's. */
    sigemptyset(&none);
    if (pthread_sigmask(SIG_SETMASK, &none, NULL) != 0) _exit(10);
    if (sigport_pending() != 0) _exit(11);
    if (sigport_dispatch_thread_stop() != SIGPORT_EVALUE) _exit(12);
    if (sigport_dispatch() != 0) _exit(13);
    if (kill(getpid(), SIGTERM) != 0) _exit(14);
    if (sigport_pending() == 0) _exit(15);
    if (sigport_dispatch() != 0) _exit(16);
    if (atomic_load(&s.calls) != 1) _exit(17);
    /* On this, the child's main thread. */
    if (atomic_load(&s.on_main) != 1) _exit(18);
    /* The child may start a thread of its own (not under
       ThreadSanitizer, which ends a child of a threaded process that
       starts a thread). */
    if (under_tsan()) _exit(0);
    if (sigport_dispatch_thread_start(0) != 0) _exit(19);
    if (sigport_raise(SIGTERM) != 0) _exit(20);
    if (sigport_dispatch_thread_stop() != 0) _exit(21);
    if (atomic_load(&s.calls) != 2 || atomic_load(&s.on_main) != 1) _exit(22);
    _exit(0);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "child status 0x%x", status);
  ck_assert_int_eq(atomic_load(&s.calls), 0);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  ack_wait(&ack);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  SP_ASSERT_OK(sigport_signal(SIGTERM, SIGPORT_SIG_DFL, NULL, NULL));
  ack_close(&ack);
}
END_TEST

/* The thread blocks every asynchronous signal: a signal sent to the
   process while the main thread blocks it stays pending in the kernel,
   taken by no thread, until the main thread unblocks it. */
START_TEST(test_thread_takes_no_delivery) {
  struct ack ack;
  struct seen s;
  sigset_t old, pending;
  memset(&s, 0, sizeof s);
  ack_open(&ack);
  s.ack = &ack;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, seen_handler, &s, NULL));
  block_in_this_thread(SIGUSR1, &old);
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  /* The stop waits for the thread, which would have recorded it. */
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_int_eq(atomic_load(&s.calls), 0);
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(sigpending(&pending), 0);
  ck_assert_int_eq(sigismember(&pending, SIGUSR1), 1);
  SP_ASSERT_OK(sigport_dispatch_thread_start(0));
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  ack_wait(&ack);
  ck_assert_int_eq(sigport_dispatch_thread_stop(), 0);
  ck_assert_int_eq(atomic_load(&s.calls), 1);
  ck_assert_int_eq(atomic_load(&s.on_main), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
  ack_close(&ack);
}
END_TEST

#endif /* !_WIN32 */

Suite *sp_suite_dthread(void) {
  Suite *s = suite_create("dthread");
  TCase *tc = tcase_create("dthread");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  /* Every test starts the dispatch thread. */
  sp_tcase_add_thread_test(tc, test_bad_calls);
  tcase_add_test(tc, test_not_initialised);
  sp_tcase_add_thread_test(tc, test_raise_runs_on_thread);
  sp_tcase_add_thread_test(tc, test_result_stops_thread);
  sp_tcase_add_thread_test(tc, test_shutdown_stops_thread);
  sp_tcase_add_thread_test(tc, test_other_thread_refused);
  sp_tcase_add_thread_test(tc, test_keep_running);
#if defined(_WIN32)
  sp_tcase_add_thread_test(tc, test_console_ctrl_c);
  sp_tcase_add_thread_test(tc, test_console_close_dispatched_by_thread);
#else
  sp_tcase_add_thread_test(tc, test_sleeping_main_storm);
  sp_tcase_add_thread_test(tc, test_swap_during_storm);
  sp_tcase_add_thread_test(tc, test_keyboard_interrupt_ends_process);
  sp_tcase_add_thread_test(tc, test_added_and_child_on_thread);
  sp_tcase_add_thread_test(tc, test_fork_while_running);
  sp_tcase_add_thread_test(tc, test_thread_takes_no_delivery);
#endif
  suite_add_tcase(s, tc);
  return s;
}
