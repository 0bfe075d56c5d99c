/*
 * test_process.c: ending the process the way a signal would, sending to
 * the process, and thread identities. Exit statuses are checked on real
 * child processes that run this executable with --child process.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

/* sigport_tests --child process exit-by-signal N [block]
   sigport_tests --child process exit-with-status STATUS
   With "block", the signal is handled by sigport and blocked first. */
int sp_child_process(int argc, char **argv) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  if (argc >= 3 && strcmp(argv[1], "exit-by-signal") == 0) {
    int signum = atoi(argv[2]);
    if (argc >= 4 && strcmp(argv[3], "block") == 0) {
      struct sp_counter c = {0};
      sigset_t set;
      sigport_init(0);
      sigport_signal(signum, sp_count_handler, &c, NULL);
      sigemptyset(&set);
      sigaddset(&set, signum);
      pthread_sigmask(SIG_BLOCK, &set, NULL);
    }
    sigport_exit_by_signal(signum);
  }
  if (argc >= 3 && strcmp(argv[1], "exit-with-status") == 0)
    sigport_exit_with_status((int)strtol(argv[2], NULL, 0));
  fprintf(stderr, "child process: bad arguments\n");
  return 2;
}

/* Runs this executable as a child and returns its wait status. */
static int run_child(const char *a, const char *b, const char *c) {
  int status;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    /* The child starts from default dispositions, not Check's. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    execl(sp_test_argv0, sp_test_argv0, "--child", "process", a, b, c,
          (char *)NULL);
    _exit(127);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  return status;
}

static void assert_killed_by(int status, int signum) {
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == signum,
                "status 0x%x, expected death by signal %d", status, signum);
}

static void assert_exited(int status, int code) {
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == code,
                "status 0x%x, expected exit %d", status, code);
}

START_TEST(test_exit_by_signal) {
  char n[16];
  snprintf(n, sizeof n, "%d", SIGTERM);
  assert_killed_by(run_child("exit-by-signal", n, NULL), SIGTERM);
  /* Handled by sigport and blocked: it still ends the process. */
  assert_killed_by(run_child("exit-by-signal", n, "block"), SIGTERM);
  snprintf(n, sizeof n, "%d", SIGUSR1);
  assert_killed_by(run_child("exit-by-signal", n, "block"), SIGUSR1);
  snprintf(n, sizeof n, "%d", SIGABRT);
  assert_killed_by(run_child("exit-by-signal", n, NULL), SIGABRT);
  /* Default actions that do not end the process: 128 + N. */
  snprintf(n, sizeof n, "%d", SIGCHLD);
  assert_exited(run_child("exit-by-signal", n, NULL), 128 + SIGCHLD);
  snprintf(n, sizeof n, "%d", SIGTSTP);
  assert_exited(run_child("exit-by-signal", n, NULL), 128 + SIGTSTP);
  assert_exited(run_child("exit-by-signal", "0", NULL), 128);
  assert_exited(run_child("exit-by-signal", "300", NULL), 255);
  /* Never a success: 128 + -128 would be 0. */
  assert_exited(run_child("exit-by-signal", "-128", NULL), 255);
  assert_exited(run_child("exit-by-signal", "-127", NULL), 1);
  assert_exited(run_child("exit-by-signal", "-129", NULL), 255);
}
END_TEST

START_TEST(test_exit_with_status) {
  char s[32];
  snprintf(s, sizeof s, "%d", 3 << 8); /* exited with 3 */
  assert_exited(run_child("exit-with-status", s, NULL), 3);
  snprintf(s, sizeof s, "%d", SIGHUP); /* killed by SIGHUP */
  assert_killed_by(run_child("exit-with-status", s, NULL), SIGHUP);
  snprintf(s, sizeof s, "%d", (SIGSTOP << 8) | 0x7f); /* stopped */
  assert_exited(run_child("exit-with-status", s, NULL), 1);
}
END_TEST

START_TEST(test_kill_self_dispatches) {
  struct sp_counter c = {0};
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &c, NULL));
  c.result = SIGPORT_EUSER - 9;
  ck_assert_int_eq(sigport_kill(getpid(), SIGUSR2), SIGPORT_EUSER - 9);
  ck_assert_int_eq(c.calls, 1);
  c.result = 0;
  ck_assert_int_eq(sigport_kill(0, SIGUSR2), 0); /* the process group */
  ck_assert_int_eq(c.calls, 2);
  /* Signal 0 checks existence and sends nothing. */
  ck_assert_int_eq(sigport_kill(getpid(), 0), 0);
  ck_assert_int_eq(c.calls, 2);
  sigport_shutdown();
}
END_TEST

START_TEST(test_kill_errors) {
  pid_t gone = fork();
  int status;
  char expect[64];
  ck_assert_int_ge(gone, 0);
  if (gone == 0) _exit(0);
  ck_assert_int_eq(waitpid(gone, &status, 0), gone);
  snprintf(expect, sizeof expect, "sigport_kill(%ld, 0)", (long)gone);
  SP_ASSERT_FAILS(sigport_kill(gone, 0), SIGPORT_EOS, expect);
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
  SP_ASSERT_FAILS(sigport_kill(getpid(), SIGPORT_NSIG), SIGPORT_EVALUE,
                  "out of range");
}
END_TEST

START_TEST(test_kill_other_process) {
  int status, ready[2];
  char byte;
  pid_t child;
  ck_assert_int_eq(pipe(ready), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    signal(SIGTERM, SIG_DFL);
    if (write(ready[1], "r", 1) != 1) _exit(1);
    for (;;) pause();
  }
  /* Sent only once the child has the default action. */
  ck_assert_int_eq(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  close(ready[1]);
  ck_assert_int_eq(sigport_kill(child, 0), 0);
  ck_assert_int_eq(sigport_kill(child, SIGTERM), 0);
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  assert_killed_by(status, SIGTERM);
}
END_TEST

static void *self_of_thread(void *arg) {
  *(sigport_thread_t *)arg = sigport_thread_self();
  return NULL;
}

START_TEST(test_thread_identity) {
  sigport_thread_t other, me = sigport_thread_self();
  pthread_t t;
  ck_assert_int_eq(sigport_thread_equal(me, sigport_thread_self()), 1);
  ck_assert_int_eq(sigport_thread_equal(me, pthread_self()), 1);
  ck_assert_int_eq(pthread_create(&t, NULL, self_of_thread, &other), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(sigport_thread_equal(me, other), 0);
}
END_TEST

#if defined(__linux__)
/* The fork() child's pause wake pipe cannot be made: no fd is left. The
   child's next sigport_pause() reports it instead of waiting on nothing
   for ever, and makes the pipe once fds are free again. */
struct wake_later {
  long tid;
};

static void *kill_once_asleep(void *arg) {
  struct wake_later *w = arg;
  sp_wait_until_asleep(w->tid);
  kill(getpid(), SIGUSR1);
  return NULL;
}

static int child_without_fds(const struct rlimit *old) {
  struct sp_counter c = {0};
  struct wake_later w;
  pthread_t t;
  int rc;
  /* A pause that never returns ends the child with SIGALRM. */
  signal(SIGALRM, SIG_DFL);
  alarm(20);
  if (sigport_pause() != SIGPORT_EOS) return 10;
  if (sigport_last_oserror() != EMFILE) return 11;
  if (strstr(sigport_last_error(), "sigport_pause") == NULL) return 12;
  /* Fds again, for the pipe and for the other thread's look at /proc. */
  if (setrlimit(RLIMIT_NOFILE, old) != 0) return 13;
  if (sigport_signal(SIGUSR1, sp_count_handler, &c, NULL) != 0) return 14;
  w.tid = sp_thread_id();
  rc = pthread_create(&t, NULL, kill_once_asleep, &w);
  if (rc != 0) return 15;
  rc = sigport_pause();
  pthread_join(t, NULL);
  if (rc != 0) return 16;
  return c.calls == 1 ? 0 : 17;
}

/* The lowest free fd. */
static int lowest_free_fd(void) {
  int fd = dup(0);
  ck_assert_int_ge(fd, 0);
  close(fd);
  return fd;
}

START_TEST(test_fork_without_fds_reported_by_pause) {
  struct rlimit old, low;
  int first, status;
  pid_t child;
  first = lowest_free_fd();
  /* The wake pipe takes the lowest free fds. */
  ck_assert_int_eq(sigport_init(0), 0);
  ck_assert_int_gt(lowest_free_fd(), first + 1);
  /* Every fd below `first` is in use, and none at or above it may be
     made: the child, which closes the parent's pipe, cannot make its
     own. */
  ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = (rlim_t)first;
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) _exit(child_without_fds(&old));
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  assert_exited(status, 0);
  sigport_shutdown();
}
END_TEST
#endif

Suite *sp_suite_process(void) {
  Suite *s = suite_create("process");
  TCase *tc = tcase_create("process");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_exit_by_signal);
  tcase_add_test(tc, test_exit_with_status);
  tcase_add_test(tc, test_kill_self_dispatches);
  tcase_add_test(tc, test_kill_errors);
  tcase_add_test(tc, test_kill_other_process);
  sp_tcase_add_thread_test(tc, test_thread_identity);
#if defined(__linux__)
  sp_tcase_add_thread_test(tc, test_fork_without_fds_reported_by_pause);
#endif
  suite_add_tcase(s, tc);
  return s;
}
