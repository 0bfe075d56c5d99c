/*
 * test_send.c: sending to a thread (pthread_kill) and through a pidfd, and
 * siginterrupt deciding whether a blocking read() fails with EINTR or is
 * restarted.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

static sigset_t saved_mask;
static struct sp_counter usr1, usr2;

static void setup(void) {
  sigset_t none;
  pthread_sigmask(SIG_SETMASK, NULL, &saved_mask);
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  memset(&usr1, 0, sizeof usr1);
  memset(&usr2, 0, sizeof usr2);
  ck_assert_int_eq(sigport_init(0), 0);
}

static void teardown(void) {
  int i;
  pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
  for (i = 0; i < 100 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

static int raw_flags(int signum) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_flags;
}

/* ------------------------------------------------------------------ */
/* pthread_kill                                                       */
/* ------------------------------------------------------------------ */

struct idler {
  atomic_int stop;
};

static void *idle_main(void *arg) {
  struct idler *w = arg;
  while (!atomic_load(&w->stop)) sp_sleep_ms(5);
  return NULL;
}

START_TEST(test_pthread_kill_existence_check) {
  struct idler w;
  pthread_t t;
  atomic_init(&w.stop, 0);
  SP_ASSERT_OK(sigport_pthread_kill(sigport_thread_self(), 0));
  ck_assert_int_eq(pthread_create(&t, NULL, idle_main, &w), 0);
  SP_ASSERT_OK(sigport_pthread_kill(t, 0));
  atomic_store(&w.stop, 1);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

START_TEST(test_pthread_kill_bad_signal) {
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_FAILS(sigport_pthread_kill(sigport_thread_self(), -1),
                  SIGPORT_EVALUE, "signal number -1 out of range");
  SP_ASSERT_FAILS(sigport_pthread_kill(sigport_thread_self(), SIGPORT_NSIG),
                  SIGPORT_EVALUE, "out of range");
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(usr1.calls, 0);
}
END_TEST

/* To the calling main thread: dispatched before the call returns. */
START_TEST(test_pthread_kill_self_dispatches) {
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_pthread_kill(sigport_thread_self(), SIGUSR1));
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(usr1.last.signo, SIGUSR1);
  ck_assert_int_eq(usr1.last.code, SI_TKILL);
  ck_assert_int_eq(usr1.last.pid, getpid());
  ck_assert_int_eq(sigport_pending(), 0);
  usr1.result = SIGPORT_EUSER - 5;
  ck_assert_int_eq(sigport_pthread_kill(sigport_thread_self(), SIGUSR1),
                   SIGPORT_EUSER - 5);
  ck_assert_int_eq(usr1.calls, 2);
}
END_TEST

struct self_job {
  int rc, calls_seen;
};

static void *kill_self_in_worker(void *arg) {
  struct self_job *job = arg;
  job->rc = sigport_pthread_kill(sigport_thread_self(), SIGUSR1);
  job->calls_seen = usr1.calls;
  return NULL;
}

/* From another thread to itself: the trip runs there, the main thread
   dispatches. */
START_TEST(test_pthread_kill_self_off_main) {
  struct self_job job = {-99, -99};
  pthread_t t;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(pthread_create(&t, NULL, kill_self_in_worker, &job), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(job.rc, 0);
  ck_assert_int_eq(job.calls_seen, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
  ck_assert_int_eq(usr1.last.code, SI_TKILL);
}
END_TEST

/* The use Python's documentation gives: a signal to a thread makes its
   blocking call fail with EINTR. */
struct reader {
  int fd;
  long tid;
  atomic_int started;
  ssize_t n;
  int err;
};

static void *reader_main(void *arg) {
  struct reader *r = arg;
  char c;
  r->tid = sp_thread_id();
  atomic_store(&r->started, 1);
  r->n = read(r->fd, &c, 1);
  r->err = errno;
  return NULL;
}

START_TEST(test_pthread_kill_interrupts_worker) {
  struct reader r;
  pthread_t t;
  int fds[2];
  memset(&r, 0, sizeof r);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(pipe(fds), 0);
  r.fd = fds[0];
  ck_assert_int_eq(pthread_create(&t, NULL, reader_main, &r), 0);
  while (!atomic_load(&r.started)) sched_yield();
  /* Sent once the worker sleeps in read(), so that it interrupts it. */
  ck_assert_msg(sp_wait_blocked_in_read(r.tid, r.fd) == 0,
                "cannot follow thread %ld through /proc: %s", r.tid,
                strerror(errno));
  SP_ASSERT_OK(sigport_pthread_kill(t, SIGUSR1));
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(r.n, -1);
  ck_assert_int_eq(r.err, EINTR);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
  close(fds[0]);
  close(fds[1]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* siginterrupt                                                       */
/* ------------------------------------------------------------------ */

/* A thread that sends SIGUSR1 to the main thread once it sleeps in a
   read() of a pipe, then writes a byte once the signal was delivered: an
   interrupted read has returned by then, and a restarted one gets the
   byte. */
struct poker {
  pthread_t target;
  long target_tid;
  int rfd, wfd;
  int wait_rc, wait_err;
};

static void *poker_main(void *arg) {
  struct poker *p = arg;
  (void)sigport_thread_block(NULL);
  p->wait_rc = sp_wait_blocked_in_read(p->target_tid, p->rfd);
  p->wait_err = errno;
  pthread_kill(p->target, SIGUSR1);
  if (p->wait_rc == 0) {
    p->wait_rc = sp_wait_delivered(p->target_tid, SIGUSR1);
    p->wait_err = errno;
  }
  (void)!write(p->wfd, "x", 1);
  return NULL;
}

/* Reads one byte from a pipe while a poker signals this thread: returns
   read()'s result, with its errno in *err and the byte in *c. */
static ssize_t poked_read(int *err, char *c) {
  struct poker p;
  pthread_t t;
  int fds[2];
  ssize_t n;
  memset(&p, 0, sizeof p);
  ck_assert_int_eq(pipe(fds), 0);
  p.target = pthread_self();
  p.target_tid = sp_thread_id();
  p.rfd = fds[0];
  p.wfd = fds[1];
  ck_assert_int_eq(pthread_create(&t, NULL, poker_main, &p), 0);
  n = read(fds[0], c, 1);
  *err = errno;
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_msg(p.wait_rc == 0, "cannot follow thread %ld through /proc: %s",
                p.target_tid, strerror(p.wait_err));
  close(fds[0]);
  close(fds[1]);
  return n;
}

START_TEST(test_siginterrupt_eintr) {
  char c;
  ssize_t n;
  int err;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  /* The default: no SA_RESTART. */
  ck_assert_int_eq(raw_flags(SIGUSR1) & SA_RESTART, 0);
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 0));
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_RESTART, 0);
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 1));
  ck_assert_int_eq(raw_flags(SIGUSR1) & SA_RESTART, 0);
  n = poked_read(&err, &c);
  sp_assert_eintr(n, err);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
}
END_TEST

START_TEST(test_siginterrupt_restart) {
  char c = 0;
  ssize_t n;
  int err;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 0));
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_RESTART, 0);
  n = poked_read(&err, &c);
  /* The read was interrupted (the signal was delivered while it slept)
     and restarted, and got the byte. */
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(c, 'x');
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, 1);
}
END_TEST

/* The choice is per signal. Installing a handler resets it to
   interruptible, as Python's signal() implicitly calls
   siginterrupt(signum, True). */
START_TEST(test_siginterrupt_per_signal) {
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 0));
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_RESTART, 0);
  ck_assert_int_eq(raw_flags(SIGUSR2) & SA_RESTART, 0);
  /* The rest of the action is untouched. */
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_SIGINFO, 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr2, NULL));
  ck_assert_int_eq(raw_flags(SIGUSR1) & SA_RESTART, 0);
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_SIGINFO, 0);
  /* The same handler again resets it too. */
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 0));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr2, NULL));
  ck_assert_int_eq(raw_flags(SIGUSR1) & SA_RESTART, 0);
}
END_TEST

/* SIGPORT_INIT_RESTART installs with SA_RESTART; siginterrupt(1) undoes
   it for one signal. */
START_TEST(test_siginterrupt_with_init_restart) {
  sigport_shutdown();
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_RESTART), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_RESTART, 0);
  SP_ASSERT_OK(sigport_siginterrupt(SIGUSR1, 1));
  ck_assert_int_eq(raw_flags(SIGUSR1) & SA_RESTART, 0);
  ck_assert_int_ne(raw_flags(SIGUSR2) & SA_RESTART, 0);
  /* A new handler gets the default of this sigport_init() back. */
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr2, NULL));
  ck_assert_int_ne(raw_flags(SIGUSR1) & SA_RESTART, 0);
}
END_TEST

START_TEST(test_siginterrupt_bad_signal) {
  struct sigaction before, after;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &before), 0);
  SP_ASSERT_FAILS(sigport_siginterrupt(0, 1), SIGPORT_EVALUE,
                  "signal number 0 out of range");
  SP_ASSERT_FAILS(sigport_siginterrupt(-3, 0), SIGPORT_EVALUE,
                  "signal number -3 out of range");
  SP_ASSERT_FAILS(sigport_siginterrupt(SIGPORT_NSIG, 0), SIGPORT_EVALUE,
                  "out of range");
  /* SIGKILL cannot be caught: the system refuses, as for Python's
     OSError. valgrind's sigaction() accepts SIG_DFL for SIGKILL, so the
     call succeeds there. */
  if (!sp_test_under_valgrind()) {
    SP_ASSERT_FAILS(sigport_siginterrupt(SIGKILL, 0), SIGPORT_EOS, "");
    ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  }
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &after), 0);
  ck_assert_int_eq(before.sa_flags, after.sa_flags);
  ck_assert(before.sa_sigaction == after.sa_sigaction);
}
END_TEST

/* ------------------------------------------------------------------ */
/* pidfd_send_signal                                                  */
/* ------------------------------------------------------------------ */

#if SIGPORT_HAVE_PIDFD
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* A child that waits to be killed, with SIGTERM's default action; it
   writes a byte when ready. */
static pid_t start_child(void) {
  int ready[2];
  char c;
  pid_t pid;
  ck_assert_int_eq(pipe(ready), 0);
  pid = fork();
  ck_assert_int_ne(pid, -1);
  if (pid == 0) {
    sigset_t none;
    signal(SIGTERM, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    (void)!write(ready[1], "r", 1);
    for (;;) pause();
  }
  close(ready[1]);
  ck_assert_int_eq(read(ready[0], &c, 1), 1);
  close(ready[0]);
  return pid;
}

/* A pidfd for pid, or -1 where the kernel has none. */
static int open_pidfd(pid_t pid) {
  return (int)syscall(SYS_pidfd_open, pid, 0);
}

START_TEST(test_pidfd_kills_child) {
  pid_t pid = start_child(), w;
  int pidfd = open_pidfd(pid), status = 0;
  if (pidfd < 0) {
    ck_assert_int_eq(errno, ENOSYS);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return;
  }
  /* Signal 0: the process exists. */
  SP_ASSERT_OK(sigport_pidfd_send_signal(pidfd, 0, NULL, 0));
  ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
  SP_ASSERT_OK(sigport_pidfd_send_signal(pidfd, SIGTERM, NULL, 0));
  do {
    w = waitpid(pid, &status, 0);
  } while (w == -1 && errno == EINTR);
  ck_assert_int_eq(w, pid);
  ck_assert(WIFSIGNALED(status));
  ck_assert_int_eq(WTERMSIG(status), SIGTERM);
  /* Reaped: the pidfd names no process any more. */
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(pidfd, SIGTERM, NULL, 0),
                  SIGPORT_EOS, "sigport_pidfd_send_signal");
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
  close(pidfd);
}
END_TEST

START_TEST(test_pidfd_bad_input) {
  pid_t pid = start_child();
  int pidfd = open_pidfd(pid), status = 0, fds[2], closed;
  siginfo_t si;
  if (pidfd < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return;
  }
  memset(&si, 0, sizeof si);
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(pidfd, SIGTERM, &si, 0),
                  SIGPORT_EVALUE, "siginfo must be NULL");
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(pidfd, -1, NULL, 0),
                  SIGPORT_EVALUE, "signal number -1 out of range");
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(pidfd, SIGPORT_NSIG, NULL, 0),
                  SIGPORT_EVALUE, "out of range");
  /* Unknown flags: the kernel refuses. */
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(pidfd, SIGTERM, NULL, 0x40000000u),
                  SIGPORT_EOS, "");
  ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  /* None of that reached the child. */
  ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
  /* A file descriptor that is not a pidfd, and a closed one. */
  ck_assert_int_eq(pipe(fds), 0);
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(fds[0], SIGTERM, NULL, 0),
                  SIGPORT_EOS, "");
  ck_assert_int_eq(sigport_last_oserror(), EBADF);
  closed = fds[0];
  close(fds[0]);
  close(fds[1]);
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(closed, SIGTERM, NULL, 0),
                  SIGPORT_EOS, "[Errno 9]");
  ck_assert_int_eq(sigport_last_oserror(), EBADF);
  ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
  kill(pid, SIGKILL);
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  close(pidfd);
}
END_TEST
#else
START_TEST(test_pidfd_not_available) {
  SP_ASSERT_FAILS(sigport_pidfd_send_signal(3, SIGTERM, NULL, 0),
                  SIGPORT_ENOTAVAIL, "not available");
}
END_TEST
#endif

Suite *sp_suite_send(void) {
  Suite *s = suite_create("send");
  TCase *tc = tcase_create("pthread_kill");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 10);
  sp_tcase_add_thread_test(tc, test_pthread_kill_existence_check);
  tcase_add_test(tc, test_pthread_kill_bad_signal);
  tcase_add_test(tc, test_pthread_kill_self_dispatches);
  sp_tcase_add_thread_test(tc, test_pthread_kill_self_off_main);
  sp_tcase_add_thread_test(tc, test_pthread_kill_interrupts_worker);
  suite_add_tcase(s, tc);

  tc = tcase_create("siginterrupt");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 10);
  sp_tcase_add_thread_test(tc, test_siginterrupt_eintr);
  sp_tcase_add_thread_test(tc, test_siginterrupt_restart);
  tcase_add_test(tc, test_siginterrupt_per_signal);
  tcase_add_test(tc, test_siginterrupt_with_init_restart);
  tcase_add_test(tc, test_siginterrupt_bad_signal);
  suite_add_tcase(s, tc);

  tc = tcase_create("pidfd");
  tcase_add_checked_fixture(tc, setup, teardown);
#if SIGPORT_HAVE_PIDFD
  tcase_add_test(tc, test_pidfd_kills_child);
  tcase_add_test(tc, test_pidfd_bad_input);
#else
  tcase_add_test(tc, test_pidfd_not_available);
#endif
  suite_add_tcase(s, tc);
  return s;
}
