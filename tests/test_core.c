/*
 * test_core.c: the deferred-execution core, with real signals: the trip,
 * coalescing, ordered dispatch, the non-zero stop, dropped deliveries,
 * siginfo, pause, faults and the main-thread rule.
 */
#define _GNU_SOURCE /* setresuid() */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* Sends a signal to this process with the raw kill(): the trip runs before
   kill() returns, and nothing is dispatched. */
static void raw_kill(int signum) { ck_assert_int_eq(kill(getpid(), signum), 0); }

START_TEST(test_pending_and_dispatch) {
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  raw_kill(SIGUSR1);
  /* Recorded by the trip, not run. */
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(c.calls, 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_uint_eq(c.total, 1);
  ck_assert_int_eq(c.last.signo, SIGUSR1);
  ck_assert_int_eq(c.last.code, SI_USER);
  ck_assert_int_eq(c.last.pid, getpid());
  ck_assert_int_eq(c.last.uid, getuid());
  ck_assert_int_eq(sigport_pending(), 0);
  /* Nothing left: a second dispatch runs nothing. */
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

START_TEST(test_coalescing) {
  struct sp_counter c = {0};
  int i;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  for (i = 0; i < 5; i++) raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_uint_eq(c.total, 5);
  ck_assert_uint_eq(c.last.count, 5);
}
END_TEST

START_TEST(test_lowest_number_first) {
  /* Sent highest first where SIGUSR2 is 12 (x86, ARM); the order expected
     is by number, whatever the system's numbering (SIGUSR2 is 17 on MIPS,
     above SIGTERM's 15). */
  int sent[4], want[4], i, j;
  sent[0] = SIGRTMIN + 1;
  sent[1] = SIGTERM;
  sent[2] = SIGUSR2;
  sent[3] = SIGHUP;
  sp_norder = 0;
  for (i = 0; i < 4; i++)
    SP_ASSERT_OK(sigport_signal(sent[i], sp_order_handler, NULL, NULL));
  for (i = 0; i < 4; i++) raw_kill(sent[i]);
  ck_assert_int_eq(sigport_dispatch(), 0);
  memcpy(want, sent, sizeof want);
  for (i = 1; i < 4; i++)
    for (j = i; j > 0 && want[j - 1] > want[j]; j--) {
      int t = want[j];
      want[j] = want[j - 1];
      want[j - 1] = t;
    }
  ck_assert_int_eq(sp_norder, 4);
  for (i = 0; i < 4; i++) ck_assert_int_eq(sp_order[i], want[i]);
}
END_TEST

START_TEST(test_nonzero_result_stops) {
  struct sp_counter hup = {0}, usr1 = {0};
  hup.result = SIGPORT_EUSER - 7;
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &hup, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  raw_kill(SIGUSR1);
  raw_kill(SIGHUP);
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER - 7);
  ck_assert_int_eq(hup.calls, 1);
  /* SIGUSR1 stays pending for the next dispatch. */
  ck_assert_int_eq(usr1.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

/* SIGHUP's handler resets SIGUSR1 while dispatch has not reached it yet. */
static int reset_usr1(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  return sigport_signal(SIGUSR1, SIGPORT_SIG_IGN, NULL, NULL);
}

START_TEST(test_dropped_delivery) {
  struct sp_counter usr1 = {0};
  struct sigaction raw;
  SP_ASSERT_OK(sigport_signal(SIGHUP, reset_usr1, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  raw_kill(SIGUSR1);
  raw_kill(SIGHUP);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 0);
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &raw), 0);
  ck_assert(raw.sa_handler == SIG_IGN);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

/* A handler that dispatches again: the nested dispatch takes only what is
   still pending. */
static struct sp_counter nested_usr2;
static int nested_result;
static int dispatching_handler(int signum, const sigport_siginfo_t *info,
                               void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  raw_kill(SIGUSR2);
  nested_result = sigport_dispatch();
  return 0;
}

START_TEST(test_nested_dispatch) {
  memset(&nested_usr2, 0, sizeof nested_usr2);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, dispatching_handler, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &nested_usr2, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(nested_result, 0);
  /* Run once, by the nested dispatch; the outer one found nothing left. */
  ck_assert_int_eq(nested_usr2.calls, 1);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

START_TEST(test_siginfo_from_child_with_uid) {
  struct sp_counter usr1 = {0}, usr2 = {0};
  int status;
  pid_t child;
  sigset_t block, old;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  /* Blocked until the child is gone, so both arrive together. */
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGUSR2);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &block, &old), 0);
  /* An unprivileged sender may signal a process whose saved user id is
     its own: give this (forked) test process that saved id. */
  if (getuid() == 0) ck_assert_int_eq(setresuid(0, 0, 65534), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    union sigval v;
    if (getuid() == 0 && setuid(65534) != 0) _exit(10);
    if (kill(getppid(), SIGUSR1) != 0) _exit(11);
    /* The whole union is sent: zero it before setting sival_int. */
    memset(&v, 0, sizeof v);
    v.sival_int = 4242;
    if (sigqueue(getppid(), SIGUSR2, v) != 0) _exit(12);
    _exit(0);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  if (getuid() == 0) ck_assert_int_eq(setresuid(0, 0, 0), 0);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "child status 0x%x", status);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(usr1.last.pid, child);
  ck_assert_int_eq(usr1.last.code, SI_USER);
  ck_assert_uint_eq(usr1.last.uid, getuid() == 0 ? 65534u : (unsigned)getuid());
  ck_assert_int_eq(usr2.calls, 1);
  ck_assert_int_eq(usr2.last.code, SI_QUEUE);
  ck_assert_int_eq(usr2.last.pid, child);
  ck_assert_int_eq(usr2.last.value_int, 4242);
  ck_assert_uint_eq(usr2.last.count, 1);
}
END_TEST

START_TEST(test_raise_dispatches) {
  struct sp_counter c = {0};
  c.result = SIGPORT_EUSER;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(sigport_raise(SIGUSR1), SIGPORT_EUSER);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_int_eq(c.last.code, SI_TKILL);
  c.result = 0;
  ck_assert_int_eq(sigport_kill(getpid(), SIGUSR1), 0);
  ck_assert_int_eq(c.calls, 2);
  ck_assert_int_eq(c.last.code, SI_USER);
}
END_TEST

static void *raise_in_thread(void *arg) {
  intptr_t rc = sigport_raise(SIGUSR1);
  (void)arg;
  return (void *)rc;
}

START_TEST(test_raise_off_main_thread_does_not_dispatch) {
  struct sp_counter c = {0};
  pthread_t t;
  void *rc;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, raise_in_thread, NULL), 0);
  ck_assert_int_eq(pthread_join(t, &rc), 0);
  ck_assert_int_eq((int)(intptr_t)rc, 0);
  /* The trip ran in the other thread; the handler waits for this one. */
  ck_assert_int_eq(c.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

static void *send_later(void *arg) {
  sp_sleep_ms(200);
  kill(getpid(), *(int *)arg);
  return NULL;
}

START_TEST(test_pause_sleeps_until_signal) {
  struct sp_counter c = {0};
  pthread_t t;
  int sig = SIGUSR1;
  double start, waited;
  c.result = SIGPORT_EUSER - 1;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  start = sp_now_ms();
  ck_assert_int_eq(pthread_create(&t, NULL, send_later, &sig), 0);
  ck_assert_int_eq(sigport_pause(), SIGPORT_EUSER - 1);
  waited = sp_now_ms() - start;
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_msg(waited >= 150.0, "pause returned after %.1f ms", waited);
}
END_TEST

/* The signal is blocked in the main thread, so the trip runs in the
   sending thread; pause must still wake up. */
static void *receive_and_send(void *arg) {
  sigset_t set;
  (void)arg;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  sp_sleep_ms(200);
  pthread_kill(pthread_self(), SIGUSR2);
  return NULL;
}

START_TEST(test_pause_woken_by_other_thread) {
  struct sp_counter c = {0};
  pthread_t t;
  sigset_t set, old;
  double start;
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &c, NULL));
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
  start = sp_now_ms();
  ck_assert_int_eq(pthread_create(&t, NULL, receive_and_send, NULL), 0);
  ck_assert_int_eq(sigport_pause(), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_double_ge(sp_now_ms() - start, 150.0);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}
END_TEST

START_TEST(test_pause_returns_at_once_when_pending) {
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_pause(), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

/* A real memory fault with a sigport SIGSEGV handler installed: the
   process ends by SIGSEGV, and the handler never runs. The fault is a
   write to a read-only page, which valgrind's memcheck lets through to
   the kernel without reporting an invalid write. */
START_TEST(test_fault_ends_process) {
  int status;
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    struct sp_counter c = {0};
    volatile int *volatile readonly =
        mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct rlimit none = {0, 0};
    if (readonly == MAP_FAILED) _exit(5);
    setrlimit(RLIMIT_CORE, &none);
    sigport_signal(SIGSEGV, sp_count_handler, &c, NULL);
    *readonly = 1;
    sigport_dispatch();
    _exit(c.calls == 0 ? 3 : 4);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
                "status 0x%x", status);
}
END_TEST

/* A raised SIGSEGV is not a fault: it is dispatched. */
START_TEST(test_raised_fault_signal_dispatched) {
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_signal(SIGSEGV, sp_count_handler, &c, NULL));
  ck_assert_int_eq(sigport_raise(SIGSEGV), 0);
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_signal(SIGFPE, sp_count_handler, &c, NULL));
  raw_kill(SIGFPE);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 2);
  ck_assert_int_eq(c.last.signo, SIGFPE);
}
END_TEST

struct thread_call {
  int rc;
  char message[256];
};

static void *call_off_main(void *arg) {
  struct thread_call *r = arg;
  r->rc = sigport_signal(SIGUSR1, SIGPORT_SIG_IGN, NULL, NULL);
  snprintf(r->message, sizeof r->message, "%s", sigport_last_error());
  return NULL;
}

START_TEST(test_main_thread_rule) {
  struct thread_call r = {0, ""};
  struct sigaction before, after;
  pthread_t t;
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &before), 0);
  ck_assert_int_eq(pthread_create(&t, NULL, call_off_main, &r), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(r.rc, SIGPORT_EVALUE);
  ck_assert_ptr_nonnull(strstr(r.message, "main thread"));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &after), 0);
  ck_assert(before.sa_handler == after.sa_handler);
}
END_TEST

/* The raw handler is installed with SA_SIGINFO and SA_ONSTACK, without
   SA_RESTART unless asked, and blocks every signal while it runs. */
START_TEST(test_installed_flags) {
  struct sigaction sa;
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  ck_assert(sa.sa_flags & SA_SIGINFO);
  ck_assert(sa.sa_flags & SA_ONSTACK);
  ck_assert(!(sa.sa_flags & SA_RESTART));
  ck_assert_int_eq(sigismember(&sa.sa_mask, SIGUSR2), 1);
  ck_assert_int_eq(sigismember(&sa.sa_mask, SIGTERM), 1);
  sigport_shutdown();
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_RESTART), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  ck_assert(sa.sa_flags & SA_RESTART);
}
END_TEST

struct pipe_poke {
  pthread_t target;
  long target_tid;
  int rfd, wfd;
  int wait_rc, wait_err;
};

/* Signals the target once it sleeps in read(), then writes a byte once
   the signal was delivered: an interrupted read has returned by then, and
   a restarted one gets the byte. (Under ThreadSanitizer the trip itself
   runs only after the read returns.) */
static void *poke_then_write(void *arg) {
  struct pipe_poke *p = arg;
  p->wait_rc = sp_wait_blocked_in_read(p->target_tid, p->rfd);
  p->wait_err = errno;
  pthread_kill(p->target, SIGUSR1);
  if (p->wait_rc == 0) {
    p->wait_rc = sp_wait_delivered(p->target_tid, SIGUSR1);
    p->wait_err = errno;
  }
  if (write(p->wfd, "x", 1) != 1) abort();
  return NULL;
}

/* Reads one byte from a pipe while another thread signals this one, then
   writes: returns read()'s result and errno. */
static ssize_t interrupted_read(int *err) {
  int fds[2];
  char byte;
  ssize_t n;
  pthread_t t;
  struct pipe_poke p;
  ck_assert_int_eq(pipe(fds), 0);
  memset(&p, 0, sizeof p);
  p.target = pthread_self();
  p.target_tid = sp_thread_id();
  p.rfd = fds[0];
  p.wfd = fds[1];
  ck_assert_int_eq(pthread_create(&t, NULL, poke_then_write, &p), 0);
  n = read(fds[0], &byte, 1);
  *err = errno;
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_msg(p.wait_rc == 0,
                "cannot follow thread %ld through /proc: %s", p.target_tid,
                strerror(p.wait_err));
  close(fds[0]);
  close(fds[1]);
  return n;
}

START_TEST(test_eintr_by_default) {
  struct sp_counter c = {0};
  int err;
  ssize_t n;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  n = interrupted_read(&err);
  sp_assert_eintr(n, err);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

START_TEST(test_restart_flag) {
  struct sp_counter c = {0};
  int err;
  sigport_shutdown();
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_RESTART), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  ck_assert_int_eq(interrupted_read(&err), 1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
}
END_TEST

Suite *sp_suite_core(void) {
  Suite *s = suite_create("core");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, test_pending_and_dispatch);
  tcase_add_test(tc, test_coalescing);
  tcase_add_test(tc, test_lowest_number_first);
  tcase_add_test(tc, test_nonzero_result_stops);
  tcase_add_test(tc, test_dropped_delivery);
  tcase_add_test(tc, test_nested_dispatch);
  tcase_add_test(tc, test_siginfo_from_child_with_uid);
  tcase_add_test(tc, test_raise_dispatches);
  sp_tcase_add_thread_test(tc, test_raise_off_main_thread_does_not_dispatch);
  sp_tcase_add_thread_test(tc, test_pause_sleeps_until_signal);
  sp_tcase_add_thread_test(tc, test_pause_woken_by_other_thread);
  tcase_add_test(tc, test_pause_returns_at_once_when_pending);
  tcase_add_test(tc, test_fault_ends_process);
  tcase_add_test(tc, test_raised_fault_signal_dispatched);
  sp_tcase_add_thread_test(tc, test_main_thread_rule);
  tcase_add_test(tc, test_installed_flags);
  sp_tcase_add_thread_test(tc, test_eintr_by_default);
  sp_tcase_add_thread_test(tc, test_restart_flag);
  suite_add_tcase(s, tc);
  return s;
}
