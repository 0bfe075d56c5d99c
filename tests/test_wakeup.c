/*
 * test_wakeup.c: the wakeup fd: the byte, its order after the record, a
 * full buffer losing nothing, the failure report, bad fds, and fork().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

static void raw_kill(int signum) { ck_assert_int_eq(kill(getpid(), signum), 0); }

/* Fills a non-blocking fd until the system refuses more; returns bytes. */
static long fill(int fd) {
  char buf[4096];
  long total = 0;
  ssize_t n;
  memset(buf, 0, sizeof buf);
  while ((n = write(fd, buf, sizeof buf)) > 0) total += n;
  while ((n = write(fd, buf, 1)) > 0) total += n;
  ck_assert_int_eq(errno, EAGAIN);
  return total;
}

/* Runs fn with stderr sent to a temporary file; returns what it printed. */
static void capture_stderr(void (*fn)(void *), void *arg, char *out,
                           size_t size) {
  FILE *tmp = tmpfile();
  int saved = dup(2);
  ssize_t n;
  ck_assert_ptr_nonnull(tmp);
  fflush(stderr);
  ck_assert_int_ge(dup2(fileno(tmp), 2), 0);
  fn(arg);
  fflush(stderr);
  ck_assert_int_ge(dup2(saved, 2), 0);
  close(saved);
  ck_assert_int_eq(lseek(fileno(tmp), 0, SEEK_SET), 0);
  n = read(fileno(tmp), out, size - 1);
  out[n > 0 ? n : 0] = '\0';
  fclose(tmp);
}

START_TEST(test_byte_is_the_signal_number) {
  int pair[2];
  unsigned char byte = 0;
  sigport_socket_t old = 1234;
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_socketpair(pair));
  ck_assert_int_eq(sigport_get_wakeup_fd(), SIGPORT_NO_SOCKET);
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], 0, &old));
  ck_assert_int_eq(old, SIGPORT_NO_SOCKET);
  ck_assert_int_eq(sigport_get_wakeup_fd(), pair[1]);
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &c, NULL));
  raw_kill(SIGUSR2);
  ck_assert_int_eq(read(pair[0], &byte, 1), 1);
  ck_assert_int_eq(byte, SIGUSR2);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, &old));
  ck_assert_int_eq(old, pair[1]);
  raw_kill(SIGUSR2);
  ck_assert_int_eq(read(pair[0], &byte, 1), -1);
  ck_assert_int_eq(errno, EAGAIN);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 2);
  close(pair[0]);
  close(pair[1]);
}
END_TEST

START_TEST(test_socketpair_flags) {
  int pair[2], i;
  SP_ASSERT_OK(sigport_socketpair(pair));
  for (i = 0; i < 2; i++) {
    ck_assert(fcntl(pair[i], F_GETFL) & O_NONBLOCK);
    ck_assert(fcntl(pair[i], F_GETFD) & FD_CLOEXEC);
  }
  close(pair[0]);
  close(pair[1]);
  SP_ASSERT_FAILS(sigport_socketpair(NULL), SIGPORT_EVALUE,
                  "pair must not be NULL");
}
END_TEST

START_TEST(test_nonblocking_pipe_works) {
  int fds[2];
  unsigned char byte;
  struct sp_counter c = {0};
  ck_assert_int_eq(pipe(fds), 0);
  ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(fds[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &c, NULL));
  raw_kill(SIGHUP);
  ck_assert_int_eq(read(fds[0], &byte, 1), 1);
  ck_assert_int_eq(byte, SIGHUP);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

/* A loop woken by the byte finds the delivery already recorded. */
struct waiter {
  int fd;
  int pending_when_woken;
};

static void *wait_for_byte(void *arg) {
  struct waiter *w = arg;
  struct pollfd p;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  p.fd = w->fd;
  p.events = POLLIN;
  while (poll(&p, 1, 5000) < 0 && errno == EINTR) {
  }
  w->pending_when_woken = sigport_pending();
  return NULL;
}

START_TEST(test_byte_comes_after_record) {
  int pair[2], i;
  struct sp_counter c = {0};
  SP_ASSERT_OK(sigport_socketpair(pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  for (i = 0; i < 50; i++) {
    struct waiter w = {pair[0], 0};
    pthread_t t;
    unsigned char byte;
    ck_assert_int_eq(pthread_create(&t, NULL, wait_for_byte, &w), 0);
    raw_kill(SIGUSR1);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_ne(w.pending_when_woken, 0);
    ck_assert_int_eq(read(pair[0], &byte, 1), 1);
    ck_assert_int_eq(sigport_dispatch(), 0);
  }
  ck_assert_int_eq(c.calls, 50);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);
}
END_TEST

struct full_case {
  unsigned flags;
  int sent;
  struct sp_counter c;
};

static void send_into_full_buffer(void *arg) {
  struct full_case *fc = arg;
  int pair[2], i;
  SP_ASSERT_OK(sigport_socketpair(pair));
  ck_assert_int_gt(fill(pair[1]), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], fc->flags, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &fc->c, NULL));
  /* kill() to this process runs the trip before it returns, once each. */
  for (i = 0; i < fc->sent; i++) raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);
}

START_TEST(test_full_buffer_loses_nothing_and_warns) {
  struct full_case fc;
  char err[512];
  memset(&fc, 0, sizeof fc);
  fc.sent = 300;
  capture_stderr(send_into_full_buffer, &fc, err, sizeof err);
  ck_assert_int_eq(fc.c.calls, 1);
  ck_assert_uint_eq(fc.c.total, 300);
  ck_assert_msg(strstr(err, "sigport: could not write to the wakeup fd: ") != NULL,
                "stderr was '%s'", err);
  ck_assert_ptr_nonnull(strstr(err, strerror(EAGAIN)));
  /* One line, not one per delivery. */
  ck_assert_ptr_null(strchr(strchr(err, '\n') + 1, '\n'));
}
END_TEST

START_TEST(test_full_buffer_no_warn) {
  struct full_case fc;
  char err[512];
  memset(&fc, 0, sizeof fc);
  fc.sent = 300;
  fc.flags = SIGPORT_WAKEUP_NO_WARN;
  capture_stderr(send_into_full_buffer, &fc, err, sizeof err);
  ck_assert_uint_eq(fc.c.total, 300);
  ck_assert_str_eq(err, "");
}
END_TEST

/* The trip's failed writes (a full wakeup buffer, a closed fd) set errno
   inside the signal handler; the interrupted code finds its own errno. */
START_TEST(test_errno_kept_by_failed_writes) {
  struct sp_counter c;
  int pair[2], i, closed[2];
  memset(&c, 0, sizeof c);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_socketpair(pair));
  ck_assert_int_gt(fill(pair[1]), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], SIGPORT_WAKEUP_NO_WARN, NULL));
  for (i = 0; i < 3; i++) {
    errno = EDOM;
    ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
    ck_assert_msg(errno == EDOM, "errno %d (%s) after a delivery", errno,
                  strerror(errno));
  }
  /* A socket whose peer is closed: the send fails with EPIPE. */
  SP_ASSERT_OK(sigport_socketpair(closed));
  SP_ASSERT_OK(sigport_set_wakeup_fd(closed[1], SIGPORT_WAKEUP_NO_WARN, NULL));
  close(closed[0]);
  errno = ERANGE;
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  ck_assert_int_eq(errno, ERANGE);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(closed[1]);
  close(pair[0]);
  close(pair[1]);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_uint_eq(c.total, 4);
}
END_TEST

/* A closed wakeup fd is reported even with NO_WARN: only a full buffer is
   quiet. */
static void send_to_closed(void *arg) {
  struct full_case *fc = arg;
  int pair[2];
  SP_ASSERT_OK(sigport_socketpair(pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], SIGPORT_WAKEUP_NO_WARN, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &fc->c, NULL));
  close(pair[0]);
  close(pair[1]);
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
}

START_TEST(test_closed_fd_reported) {
  struct full_case fc;
  char err[512];
  memset(&fc, 0, sizeof fc);
  capture_stderr(send_to_closed, &fc, err, sizeof err);
  ck_assert_int_eq(fc.c.calls, 1);
  ck_assert_msg(strstr(err, strerror(EBADF)) != NULL, "stderr was '%s'", err);
}
END_TEST

/* A wakeup fd whose other end is gone: the trip's write fails with EPIPE.
   SIGPIPE keeps its default action, which would end the process; the
   failure must be counted and reported, and the process live. */
struct broken_case {
  int use_pipe;        /* a pipe instead of sigport_socketpair() */
  int handle_sigpipe;  /* SIGPIPE has a sigport handler too */
  struct sp_counter usr1, pipe;
};

/* Whether SIGPIPE is pending for this thread or the process. */
static int sigpipe_pending(void) {
  sigset_t pending;
  ck_assert_int_eq(sigpending(&pending), 0);
  return sigismember(&pending, SIGPIPE) == 1;
}

static void send_to_broken(void *arg) {
  struct broken_case *bc = arg;
  struct sigaction dfl;
  int fds[2];
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  ck_assert_int_eq(sigaction(SIGPIPE, &dfl, NULL), 0);
  if (bc->use_pipe) {
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  } else {
    SP_ASSERT_OK(sigport_socketpair(fds));
  }
  SP_ASSERT_OK(sigport_set_wakeup_fd(fds[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &bc->usr1, NULL));
  if (bc->handle_sigpipe)
    SP_ASSERT_OK(sigport_signal(SIGPIPE, sp_count_handler, &bc->pipe, NULL));
  close(fds[0]);
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(sigpipe_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(fds[1]);
}

static void assert_broken_reported(struct broken_case *bc) {
  char err[512];
  capture_stderr(send_to_broken, bc, err, sizeof err);
  ck_assert_int_eq(bc->usr1.calls, 2);
  ck_assert_int_eq(bc->pipe.calls, 0);
  ck_assert_msg(strstr(err, "sigport: could not write to the wakeup fd: ") !=
                        NULL &&
                    strstr(err, strerror(EPIPE)) != NULL,
                "stderr was '%s'", err);
}

START_TEST(test_broken_socket_no_sigpipe) {
  struct broken_case bc;
  memset(&bc, 0, sizeof bc);
  assert_broken_reported(&bc);
}
END_TEST

START_TEST(test_broken_pipe_no_sigpipe) {
  struct broken_case bc;
  memset(&bc, 0, sizeof bc);
  bc.use_pipe = 1;
  assert_broken_reported(&bc);
}
END_TEST

/* With a sigport handler on SIGPIPE, the write's SIGPIPE is not a
   delivery: taken back, it neither runs the handler nor trips again. */
START_TEST(test_broken_pipe_handled_sigpipe) {
  struct broken_case bc;
  memset(&bc, 0, sizeof bc);
  bc.use_pipe = 1;
  bc.handle_sigpipe = 1;
  assert_broken_reported(&bc);
}
END_TEST

/* A SIGPIPE that was pending before the trip wrote stays pending, with
   its own siginfo, whether it was sent to the process or to this thread,
   and the one the write made is taken back: exactly
   one is left. */
static void keeps_pending_sigpipe(int to_thread) {
  struct sp_counter c = {0};
  struct timespec zero = {0, 0};
  siginfo_t si;
  sigset_t set, old;
  int fds[2];
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
  ck_assert_int_eq(pipe(fds), 0);
  ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(fds[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  close(fds[0]);
#if defined(__linux__)
  if (to_thread) {
    /* pthread_sigqueue() to this thread, by its system call. */
    memset(&si, 0, sizeof si);
    si.si_signo = SIGPIPE;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 41;
    ck_assert_int_eq(syscall(SYS_rt_tgsigqueueinfo, (long)getpid(),
                             (long)syscall(SYS_gettid), SIGPIPE, &si),
                     0);
  } else
#endif
  {
    union sigval v;
    (void)to_thread;
    memset(&v, 0, sizeof v);
    v.sival_int = 41;
    ck_assert_int_eq(sigqueue(getpid(), SIGPIPE, v), 0);
  }
  ck_assert_int_eq(sigpipe_pending(), 1);
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(c.calls, 2);
  memset(&si, 0, sizeof si);
  ck_assert_int_eq(sigtimedwait(&set, &si, &zero), SIGPIPE);
  ck_assert_int_eq(si.si_code, SI_QUEUE);
  ck_assert_int_eq(si.si_value.sival_int, 41);
  ck_assert_int_eq(si.si_pid, getpid());
  ck_assert_int_eq(sigpipe_pending(), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(fds[1]);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}

START_TEST(test_broken_pipe_keeps_process_sigpipe) {
  keeps_pending_sigpipe(0);
}
END_TEST

#if defined(__linux__)
START_TEST(test_broken_pipe_keeps_thread_sigpipe) {
  keeps_pending_sigpipe(1);
}
END_TEST
#endif

START_TEST(test_bad_fds) {
  int fds[2], pair[2];
  char expect[80];
  SP_ASSERT_OK(sigport_socketpair(pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], 0, NULL));
  ck_assert_int_eq(pipe(fds), 0);
  snprintf(expect, sizeof expect, "the fd %d must be in non-blocking mode",
           fds[1]);
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(fds[1], 0, NULL), SIGPORT_EVALUE,
                  expect);
  close(fds[0]);
  close(fds[1]);
  snprintf(expect, sizeof expect, "invalid fd %d", fds[1]);
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(fds[1], 0, NULL), SIGPORT_EOS, expect);
  ck_assert_int_eq(sigport_last_oserror(), EBADF);
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(-5, 0, NULL), SIGPORT_EVALUE,
                  "invalid fd -5");
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(pair[0], 0x10, NULL), SIGPORT_EVALUE,
                  "unknown flags 0x10");
  /* Nothing changed. */
  ck_assert_int_eq(sigport_get_wakeup_fd(), pair[1]);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);
}
END_TEST

struct off_main {
  int fd;
  int rc;
  char message[200];
};

static void *set_off_main(void *arg) {
  struct off_main *r = arg;
  r->rc = sigport_set_wakeup_fd(r->fd, 0, NULL);
  snprintf(r->message, sizeof r->message, "%s", sigport_last_error());
  return NULL;
}

START_TEST(test_wrong_thread) {
  int pair[2];
  pthread_t t;
  struct off_main r;
  SP_ASSERT_OK(sigport_socketpair(pair));
  r.fd = pair[1];
  ck_assert_int_eq(pthread_create(&t, NULL, set_off_main, &r), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(r.rc, SIGPORT_EVALUE);
  ck_assert_ptr_nonnull(strstr(r.message, "main thread"));
  ck_assert_int_eq(sigport_get_wakeup_fd(), SIGPORT_NO_SOCKET);
  close(pair[0]);
  close(pair[1]);
}
END_TEST

/* fork() with a delivery pending: the child starts with nothing pending
   and no wakeup fd; the parent keeps its delivery. */
START_TEST(test_fork_with_pending) {
  int pair[2], status;
  struct sp_counter c = {0};
  pid_t child;
  SP_ASSERT_OK(sigport_socketpair(pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], 0, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_ne(sigport_pending(), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    int bad = 0;
    if (sigport_pending() != 0) bad |= 1;
    if (sigport_get_wakeup_fd() != SIGPORT_NO_SOCKET) bad |= 2;
    if (sigport_dispatch() != 0 || c.calls != 0) bad |= 4;
    /* The child's own deliveries work, and pause wakes on its own pipe. */
    kill(getpid(), SIGUSR1);
    if (sigport_pause() != 0 || c.calls != 1) bad |= 8;
    _exit(bad);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status 0x%x",
                status);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(c.calls, 1);
  ck_assert_int_eq(sigport_get_wakeup_fd(), pair[1]);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);
}
END_TEST

/* The forking thread is the child's main thread, even when it is not the
   parent's. */
static void *fork_in_thread(void *arg) {
  int status;
  pid_t child = fork();
  (void)arg;
  if (child == 0) {
    struct sp_counter c = {0};
    int rc = sigport_signal(SIGUSR1, sp_count_handler, &c, NULL);
    if (rc == 0) rc = sigport_raise(SIGUSR1);
    _exit(rc == 0 && c.calls == 1 ? 0 : 1);
  }
  if (child < 0 || waitpid(child, &status, 0) != child) return (void *)1;
  return (void *)(intptr_t)(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

START_TEST(test_fork_from_thread_makes_main) {
  pthread_t t;
  void *rc;
  ck_assert_int_eq(pthread_create(&t, NULL, fork_in_thread, NULL), 0);
  ck_assert_int_eq(pthread_join(t, &rc), 0);
  ck_assert_int_eq((int)(intptr_t)rc, 0);
}
END_TEST

Suite *sp_suite_wakeup(void) {
  Suite *s = suite_create("wakeup");
  TCase *tc = tcase_create("wakeup");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, test_byte_is_the_signal_number);
  tcase_add_test(tc, test_socketpair_flags);
  tcase_add_test(tc, test_nonblocking_pipe_works);
  sp_tcase_add_thread_test(tc, test_byte_comes_after_record);
  tcase_add_test(tc, test_full_buffer_loses_nothing_and_warns);
  tcase_add_test(tc, test_full_buffer_no_warn);
  tcase_add_test(tc, test_errno_kept_by_failed_writes);
  tcase_add_test(tc, test_closed_fd_reported);
  tcase_add_test(tc, test_broken_socket_no_sigpipe);
  tcase_add_test(tc, test_broken_pipe_no_sigpipe);
  tcase_add_test(tc, test_broken_pipe_handled_sigpipe);
  tcase_add_test(tc, test_broken_pipe_keeps_process_sigpipe);
#if defined(__linux__)
  tcase_add_test(tc, test_broken_pipe_keeps_thread_sigpipe);
#endif
  tcase_add_test(tc, test_bad_fds);
  sp_tcase_add_thread_test(tc, test_wrong_thread);
  tcase_add_test(tc, test_fork_with_pending);
  sp_tcase_add_thread_test(tc, test_fork_from_thread_makes_main);
  suite_add_tcase(s, tc);
  return s;
}
