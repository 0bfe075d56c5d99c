/*
 * test_group.c: watches that share one fd (sigport_watch_open_shared()),
 * with real signals, threads and processes. The fd of a group is
 * readable exactly while some watch of it has something untaken, each
 * watch counts exactly on its own, the fd lives until the last watch of
 * the group closes, and a poll loop that takes once from each watch at
 * each wakeup never sleeps on untaken counts and never spins on an empty
 * group.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#if defined(SIGPORT_TEST_INTERNALS)
#include "internal.h"
#include "watch.h"
#endif

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

static int fd_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

static void expect_take(sigport_watch_t *w, int signum, unsigned long count,
                        int value, const char *what) {
  sigport_siginfo_t info;
  int s = sigport_watch_take(w, &info);
  ck_assert_msg(s == signum, "%s: took %d, expected %d", what, s, signum);
  if (signum == 0) return;
  ck_assert_msg(info.count == count, "%s: count %lu, expected %lu", what,
                info.count, count);
  ck_assert_msg(info.value_int == value, "%s: value %d, expected %d", what,
                info.value_int, value);
}

/* One fd for three watches of different sets and flags; readable while
   any has something, quiet once all is taken; the fd outlives the watch
   that made it and closes with the last. */
START_TEST(test_group_basic) {
  sigport_sigset_t usr1 = sp_set_of(SIGUSR1), both = sp_set_of(SIGUSR1),
                   usr2 = sp_set_of(SIGUSR2);
  sigport_watch_t *a, *b, *c;
  int fd;
  sigport_sigaddset(&both, SIGUSR2);
  SP_ASSERT_OK(sigport_watch_open(&usr1, 0, &a));
  SP_ASSERT_OK(sigport_watch_open_shared(&both, 0, a, &b));
  /* Shared with b: the same group. */
  SP_ASSERT_OK(sigport_watch_open_shared(&usr2, SIGPORT_WATCH_QUEUE, b, &c));
  fd = (int)sigport_watch_fd(a);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq((int)sigport_watch_fd(b), fd);
  ck_assert_int_eq((int)sigport_watch_fd(c), fd);
  ck_assert(!sp_fd_readable(fd));
  ck_assert(!sp_raw_is_default(SIGUSR2));

  sp_queue_self(SIGUSR1, 11);
  ck_assert(sp_fd_readable(fd));
  expect_take(a, SIGUSR1, 1, 11, "a, SIGUSR1");
  ck_assert_msg(sp_fd_readable(fd), "b's SIGUSR1 is untaken, the fd is quiet");
  expect_take(c, 0, 0, 0, "c, nothing of SIGUSR1");
  ck_assert(sp_fd_readable(fd));
  expect_take(b, SIGUSR1, 1, 11, "b, SIGUSR1");
  ck_assert_msg(!sp_fd_readable(fd), "all taken, the fd is still readable");

  sp_queue_self(SIGUSR2, 21);
  sp_queue_self(SIGUSR2, 22);
  ck_assert(sp_fd_readable(fd));
  expect_take(a, 0, 0, 0, "a, nothing of SIGUSR2");
  ck_assert(sp_fd_readable(fd));
  expect_take(b, SIGUSR2, 2, 22, "b, SIGUSR2");
  ck_assert(sp_fd_readable(fd));
  expect_take(c, SIGUSR2, 1, 21, "c, the first SIGUSR2");
  ck_assert_msg(sp_fd_readable(fd), "c's second SIGUSR2 is untaken");
  expect_take(c, SIGUSR2, 1, 22, "c, the second SIGUSR2");
  ck_assert(!sp_fd_readable(fd));
  expect_take(a, 0, 0, 0, "a, empty");
  expect_take(b, 0, 0, 0, "b, empty");
  expect_take(c, 0, 0, 0, "c, empty");
  ck_assert(!sp_fd_readable(fd));

  /* The watch that made the fd goes first: the others keep it. */
  SP_ASSERT_OK(sigport_watch_close(a));
  ck_assert(fd_open(fd));
  sp_queue_self(SIGUSR1, 31);
  ck_assert(sp_fd_readable(fd));
  expect_take(b, SIGUSR1, 1, 31, "b, after a closed");
  ck_assert(!sp_fd_readable(fd));
  SP_ASSERT_OK(sigport_watch_close(b));
  ck_assert(fd_open(fd));
  /* SIGUSR1 had only a and b. */
  ck_assert(sp_raw_is_default(SIGUSR1));
  sp_queue_self(SIGUSR2, 41);
  expect_take(c, SIGUSR2, 1, 41, "c, alone");
  SP_ASSERT_OK(sigport_watch_close(c));
  ck_assert_msg(!fd_open(fd) && errno == EBADF,
                "fd %d is open after the group's last watch closed", fd);
  ck_assert(sp_raw_is_default(SIGUSR2));
}
END_TEST

/* A watch closed with something untaken does not leave the group's fd
   readable for it; one closed while another has something leaves it
   readable for that one. */
START_TEST(test_group_close_armed) {
  sigport_sigset_t set = sp_set_of(SIGUSR1);
  sigport_watch_t *a, *b;
  int fd;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &a));
  SP_ASSERT_OK(sigport_watch_open_shared(&set, 0, a, &b));
  fd = (int)sigport_watch_fd(a);
  sp_queue_self(SIGUSR1, 1);
  expect_take(a, SIGUSR1, 1, 1, "a");
  ck_assert(sp_fd_readable(fd));
  SP_ASSERT_OK(sigport_watch_close(b));
  ck_assert_msg(!sp_fd_readable(fd),
                "the closed watch's untaken delivery left the fd readable");
  SP_ASSERT_OK(sigport_watch_open_shared(&set, 0, a, &b));
  sp_queue_self(SIGUSR1, 2);
  SP_ASSERT_OK(sigport_watch_close(b));
  ck_assert_msg(sp_fd_readable(fd), "a's delivery is untaken, the fd is quiet");
  expect_take(a, SIGUSR1, 1, 2, "a, after b closed");
  ck_assert(!sp_fd_readable(fd));
  SP_ASSERT_OK(sigport_watch_close(a));
}
END_TEST

/* fork(): the child closes the group's fd (once), and gets the signals
   back. */
START_TEST(test_group_fork_child) {
  sigport_sigset_t set = sp_set_of(SIGUSR2);
  sigport_watch_t *a, *b;
  int fd;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &a));
  SP_ASSERT_OK(sigport_watch_open_shared(&set, SIGPORT_WATCH_QUEUE, a, &b));
  fd = (int)sigport_watch_fd(a);
  /* Untaken deliveries in the group as the child is made. */
  sp_queue_self(SIGUSR2, 5);
  sp_fork_expect_given_back(SIGUSR2, fd);
  /* The parent's group is whole. */
  ck_assert(sp_fd_readable(fd));
  expect_take(a, SIGUSR2, 1, 5, "a, the parent's");
  expect_take(b, SIGUSR2, 1, 5, "b, the parent's");
  ck_assert(!sp_fd_readable(fd));
  SP_ASSERT_OK(sigport_watch_close(a));
  SP_ASSERT_OK(sigport_watch_close(b));
  ck_assert(!fd_open(fd));
}
END_TEST

#if defined(SIGPORT_TEST_INTERNALS)
/* A trip on another thread counts a delivery, the take takes it before
   that trip arms the watch, and then the trip arms it and rings: the
   doorbell is readable with nothing armed. Made here by hand, as that
   trip's last steps. The next take, which finds nothing, must drain it,
   or a poll loop would spin on it. */
START_TEST(test_group_late_ring_drained) {
  sigport_sigset_t set = sp_set_of(SIGUSR1);
  sigport_watch_t *a, *b;
  int fd;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &a));
  SP_ASSERT_OK(sigport_watch_open_shared(&set, 0, a, &b));
  fd = (int)sigport_watch_fd(a);
  sp__bell_ring(a->bell);
  ck_assert(sp_fd_readable(fd));
  expect_take(b, 0, 0, 0, "b, after the late ring");
  ck_assert_msg(!sp_fd_readable(fd), "a take that found nothing left the late "
                               "ring readable");
  /* Only once: a later take that finds nothing makes no system call
     (nothing to look at here but that it stays quiet and exact). */
  expect_take(a, 0, 0, 0, "a, quiet");
  sp_queue_self(SIGUSR1, 3);
  expect_take(a, SIGUSR1, 1, 3, "a, after");
  expect_take(b, SIGUSR1, 1, 3, "b, after");
  ck_assert(!sp_fd_readable(fd));
  SP_ASSERT_OK(sigport_watch_close(a));
  SP_ASSERT_OK(sigport_watch_close(b));
}
END_TEST
#endif

/* ------------------------------------------------------------------ */
/* Exactness: a forked child sigqueue()s to N watches in one group.   */
/* ------------------------------------------------------------------ */

#define SP_SENDS 20000
#define SP_BATCH 500

static const int group_sizes[] = {1, 8, 64};

/* A poll loop's turn: waits for the group's fd (up to 30 s: a lost
   wakeup fails there), then takes once from each watch. */
static void turn(sigport_watch_t **w, int n, unsigned long *total,
                 const char *what) {
  struct pollfd p;
  int i, rc;
  p.fd = sigport_watch_fd(w[0]);
  p.events = POLLIN;
  p.revents = 0;
  do rc = poll(&p, 1, 30000);
  while (rc < 0 && errno == EINTR);
  ck_assert_msg(rc == 1, "%s: the group's fd stayed quiet for 30 s", what);
  for (i = 0; i < n; i++) {
    sigport_siginfo_t info;
    int s = sigport_watch_take(w[i], &info);
    ck_assert_int_ge(s, 0);
    if (s > 0) total[i] += info.count;
  }
}

START_TEST(test_group_exact_child) {
  int n = group_sizes[_i], i, strict = !sp_test_relaxed_counts();
  int sig = SIGRTMIN, up, down, status;
  sigport_sigset_t set = sp_set_of(sig);
  sigport_watch_t *w[64];
  unsigned long total[64];
  unsigned long sent = 0;
  pid_t pid;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w[0]));
  /* Each shares the one before it: still one group. */
  for (i = 1; i < n; i++)
    SP_ASSERT_OK(sigport_watch_open_shared(&set, 0, w[i - 1], &w[i]));
  memset(total, 0, sizeof total);
  pid = sp_start_paced_sender(sig, SP_SENDS, SP_BATCH, &up, &down);
  for (;;) {
    char c;
    int done = 1;
    if (sent == SP_SENDS) break;
    ck_assert_int_eq(sp_read_byte(up, &c), 1);
    sent += SP_BATCH;
    /* Strict: the loop turns until each watch has the whole batch, and
       a turn that finds the fd quiet before then fails. Relaxed (queued
       signals merged): what is there. */
    do {
      done = 1;
      if (strict || sp_fd_readable(sigport_watch_fd(w[0])))
        turn(w, n, total, "batch");
      for (i = 0; i < n; i++) {
        ck_assert_msg(total[i] <= sent, "watch %d counted %lu of %lu", i,
                      total[i], sent);
        if (total[i] < sent) done = 0;
      }
    } while (strict && !done);
    ck_assert_int_eq(write(down, &c, 1), 1);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "sender status 0x%x", status);
  while (sp_fd_readable(sigport_watch_fd(w[0]))) turn(w, n, total, "the rest");
  for (i = 0; i < n; i++) {
    if (strict)
      ck_assert_msg(total[i] == sent, "watch %d of %d: %lu of %lu", i, n,
                    total[i], sent);
    else
      ck_assert_msg(total[i] >= 1 && total[i] <= sent, "watch %d: %lu of %lu",
                    i, total[i], sent);
  }
  /* Everything taken: quiet. */
  ck_assert(!sp_fd_readable(sigport_watch_fd(w[0])));
  for (i = 0; i < n; i++) SP_ASSERT_OK(sigport_watch_close(w[i]));
  close(up);
  close(down);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A storm from two threads into one group, while other threads open   */
/* watches in the group, take and close them.                          */
/* ------------------------------------------------------------------ */

#define SP_STORM 5000

START_TEST(test_group_storm_churn) {
  int sig[2], fds[2], done = 0, i, strict = !sp_test_relaxed_counts();
  struct sp_storm st[2];
  struct sp_churn ch[2];
  pthread_t senders[2], churners[2];
  sigport_watch_t *w[3];
  sigport_sigset_t set[3];
  /* What each of w[0..2] took of sig[0] and sig[1]. */
  unsigned long got[3][2];
  int fd;
  sig[0] = SIGRTMIN + 3;
  sig[1] = SIGRTMIN + 4;
  set[0] = sp_set_of(sig[0]);
  set[1] = sp_set_of(sig[0]);
  sigport_sigaddset(&set[1], sig[1]);
  set[2] = sp_set_of(sig[1]);
  memset(got, 0, sizeof got);
  memset(st, 0, sizeof st);
  ck_assert_int_eq(pipe(fds), 0);
  SP_ASSERT_OK(sigport_watch_open(&set[0], 0, &w[0]));
  SP_ASSERT_OK(sigport_watch_open_shared(&set[1], 0, w[0], &w[1]));
  SP_ASSERT_OK(sigport_watch_open_shared(&set[2], SIGPORT_WATCH_QUEUE, w[1],
                                         &w[2]));
  fd = (int)sigport_watch_fd(w[0]);
  for (i = 0; i < 2; i++) {
    memset(&ch[i], 0, sizeof ch[i]);
    ch[i].share = w[i];
    ch[i].set = set[1];
    ck_assert_int_eq(pthread_create(&churners[i], NULL, sp_churner, &ch[i]), 0);
  }
  for (i = 0; i < 2; i++) {
    st[i].signum = sig[i];
    st[i].sends = SP_STORM;
    st[i].done_fd = fds[1];
    ck_assert_int_eq(pthread_create(&senders[i], NULL, sp_storm_sender, &st[i]), 0);
  }
  /* One take from each watch per wakeup. A poll that times out with
     counts missing is the failure: the group's fd went quiet with
     something left in it. */
  while (done < 2 ||
         (strict && (got[0][0] != SP_STORM || got[1][0] != SP_STORM ||
                     got[1][1] != SP_STORM || got[2][1] != SP_STORM))) {
    int rc = sp_storm_poll(fd, fds[0], &done, 2);
    ck_assert_msg(rc >= 0,
                  "the group's fd stayed quiet for 30 s with %lu %lu %lu %lu "
                  "of %d taken, senders done: %d",
                  got[0][0], got[1][0], got[1][1], got[2][1], SP_STORM, done);
    if (rc == 1) {
      for (i = 0; i < 3; i++) {
        sigport_siginfo_t info;
        int s = sigport_watch_take(w[i], &info);
        ck_assert_msg(s == 0 || sigport_sigismember(&set[i], s) == 1,
                      "watch %d took %d, not one of its signals", i, s);
        if (s != 0) got[i][s == sig[1]] += info.count;
      }
    }
  }
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(pthread_join(senders[i], NULL), 0);
    ck_assert_int_eq(st[i].failed, 0);
    ch[i].stop = 1;
    ck_assert_int_eq(pthread_join(churners[i], NULL), 0);
    ck_assert_msg(ch[i].failed == 0, "churner %d: %d", i, ch[i].failed);
    ck_assert_int_gt(ch[i].opened, 0);
  }
  if (strict) {
    /* Everything taken, the churners' watches closed: nothing is armed,
       and the fd is quiet after the takes that find nothing. */
    for (i = 0; i < 3; i++) {
      sigport_siginfo_t info;
      ck_assert_int_eq(sigport_watch_take(w[i], &info), 0);
    }
    ck_assert_msg(!sp_fd_readable(fd), "the group's fd is readable with nothing "
                                 "untaken");
  } else {
    ck_assert(got[0][0] <= SP_STORM && got[1][1] <= SP_STORM);
  }
  ck_assert_uint_eq(got[0][1], 0);
  ck_assert_uint_eq(got[2][0], 0);
  for (i = 0; i < 3; i++) SP_ASSERT_OK(sigport_watch_close(w[i]));
  ck_assert(!fd_open(fd));
  ck_assert(sp_raw_is_default(sig[0]));
  ck_assert(sp_raw_is_default(sig[1]));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

Suite *sp_suite_group(void) {
  Suite *s = suite_create("group");
  TCase *tc = tcase_create("group");
  TCase *storm = tcase_create("storm");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_group_basic);
  tcase_add_test(tc, test_group_close_armed);
  tcase_add_test(tc, test_group_fork_child);
#if defined(SIGPORT_TEST_INTERNALS)
  tcase_add_test(tc, test_group_late_ring_drained);
#endif
  suite_add_tcase(s, tc);
  tcase_set_timeout(storm, 120);
  tcase_add_checked_fixture(storm, setup, teardown);
  tcase_add_loop_test(storm, test_group_exact_child, 0,
                      (int)(sizeof group_sizes / sizeof group_sizes[0]));
  sp_tcase_add_thread_test(storm, test_group_storm_churn);
  suite_add_tcase(s, storm);
  return s;
}
