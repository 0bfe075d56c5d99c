/*
 * test_watch.c: watches (SPEC 6.1) with real signals, threads and
 * processes: exact counts with many watches, storms from threads while the
 * main thread dispatches, watches opened and closed during a storm, queue
 * mode's order and overflow, and what a watch does to dispositions, read
 * back with the raw sigaction().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#if defined(SIGPORT_TEST_INTERNALS)
#include "internal.h"
#include "watch.h"
#endif

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* The raw disposition's handler (sa_handler and sa_sigaction share their
   storage in the C libraries the tests run on, as test_badinput.c
   assumes). */
static void (*raw_handler(int signum))(int) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

static int is_raw_ignored(int signum) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN;
}

/* Takes everything a watch has: the counts added up. */
static unsigned long take_all(sigport_watch_t *w) {
  sigport_siginfo_t info;
  unsigned long total = 0;
  int s;
  while ((s = sigport_watch_take(w, &info)) > 0) total += info.count;
  ck_assert_int_eq(s, 0);
  return total;
}

START_TEST(test_basic) {
  sigport_sigset_t set = sp_set_of(SIGUSR1);
  sigport_siginfo_t info;
  sigport_watch_t *w = NULL;
  sigport_handler_t h;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  ck_assert_ptr_nonnull(w);
  ck_assert_int_ge(sigport_watch_fd(w), 0);
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  /* Handled: the default action (terminate) does not run. */
  ck_assert(!sp_raw_is_default(SIGUSR1));
  sp_queue_self(SIGUSR1, 7);
  sp_queue_self(SIGUSR1, 8);
  sp_queue_self(SIGUSR1, 9);
  ck_assert(sp_fd_readable(sigport_watch_fd(w)));
  /* Nothing for dispatch: no handler. */
  ck_assert_int_eq(sigport_pending(), 0);
  /* getsignal reports what the primary slot has: SIG_DFL from before. */
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &h));
  ck_assert(h.fn == SIGPORT_SIG_DFL);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGUSR1);
  ck_assert_uint_eq(info.count, 3);
  ck_assert_int_eq(info.signo, SIGUSR1);
  ck_assert_int_eq(info.pid, getpid());
  ck_assert_int_eq(info.value_int, 9);
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  ck_assert_int_eq(sigport_watch_take(w, &info), 0);
  ck_assert_uint_eq(info.count, 0);
  SP_ASSERT_OK(sigport_watch_close(w));
  /* The last watch gave the signal back. */
  ck_assert(sp_raw_is_default(SIGUSR1));
}
END_TEST

/* Lowest signal first, and the fd stays readable while something is
   left. */
START_TEST(test_order_and_rering) {
  sigport_sigset_t set = sp_set_of(SIGUSR2);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  sigport_sigaddset(&set, SIGUSR1);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  sp_queue_self(SIGUSR2, 1);
  sp_queue_self(SIGUSR1, 2);
  sp_queue_self(SIGUSR2, 3);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGUSR1 < SIGUSR2 ? SIGUSR1
                                                                    : SIGUSR2);
  ck_assert(sp_fd_readable(sigport_watch_fd(w)));
  ck_assert_int_eq(sigport_watch_take(w, &info),
                   SIGUSR1 < SIGUSR2 ? SIGUSR2 : SIGUSR1);
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  ck_assert_int_eq(sigport_watch_take(w, &info), 0);
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

/* An ignored signal is handled while watched, and ignored again after. */
START_TEST(test_ignored_comes_back) {
  sigport_sigset_t set = sp_set_of(SIGHUP);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  ck_assert(signal(SIGHUP, SIG_IGN) != SIG_ERR);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  ck_assert(!is_raw_ignored(SIGHUP));
  ck_assert_int_eq(kill(getpid(), SIGHUP), 0);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGHUP);
  ck_assert_uint_eq(info.count, 1);
  SP_ASSERT_OK(sigport_watch_close(w));
  ck_assert(is_raw_ignored(SIGHUP));
  ck_assert(signal(SIGHUP, SIG_DFL) != SIG_ERR);
}
END_TEST

/* A handler and a watch both count; SIG_DFL then only clears the primary
   handler while the watch holds the signal. */
START_TEST(test_with_handler) {
  sigport_sigset_t set = sp_set_of(SIGUSR1);
  struct sp_counter c;
  sigport_siginfo_t info;
  sigport_handler_t h;
  sigport_watch_t *w;
  void (*trip)(int);
  memset(&c, 0, sizeof c);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  trip = raw_handler(SIGUSR1);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  ck_assert(raw_handler(SIGUSR1) == trip);
  sp_queue_self(SIGUSR1, 1);
  sp_queue_self(SIGUSR1, 2);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_uint_eq(c.total, 2);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGUSR1);
  ck_assert_uint_eq(info.count, 2);

  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
  ck_assert(raw_handler(SIGUSR1) == trip);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &h));
  ck_assert(h.fn == SIGPORT_SIG_DFL);
  sp_queue_self(SIGUSR1, 3);
  ck_assert_int_eq(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_uint_eq(c.total, 2);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGUSR1);
  ck_assert_uint_eq(info.count, 1);
  SP_ASSERT_OK(sigport_watch_close(w));
  /* The SIG_DFL asked for meanwhile is what is left. */
  ck_assert(sp_raw_is_default(SIGUSR1));
}
END_TEST

/* Closing a watch whose trip someone else replaced leaves their action. */
static void foreign(int s) { (void)s; }
START_TEST(test_replaced_left_alone) {
  sigport_sigset_t set = sp_set_of(SIGUSR2);
  sigport_watch_t *w;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  ck_assert(signal(SIGUSR2, foreign) != SIG_ERR);
  SP_ASSERT_OK(sigport_watch_close(w));
  ck_assert(raw_handler(SIGUSR2) == foreign);
  ck_assert(signal(SIGUSR2, SIG_DFL) != SIG_ERR);
}
END_TEST

/* Open, take and close from a thread other than the main one. */
struct thread_watch {
  int signum, rc_open, rc_close, took;
  unsigned long count;
};
static void *watch_in_thread(void *arg) {
  struct thread_watch *t = arg;
  sigport_sigset_t set = sp_set_of(t->signum);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  t->rc_open = sigport_watch_open(&set, 0, &w);
  if (t->rc_open != 0) return NULL;
  (void)pthread_kill(pthread_self(), t->signum);
  t->took = sigport_watch_take(w, &info);
  t->count = info.count;
  t->rc_close = sigport_watch_close(w);
  return NULL;
}
START_TEST(test_any_thread) {
  struct thread_watch t = {SIGUSR1, -99, -99, 0, 0};
  pthread_t th;
  ck_assert_int_eq(pthread_create(&th, NULL, watch_in_thread, &t), 0);
  ck_assert_int_eq(pthread_join(th, NULL), 0);
  ck_assert_int_eq(t.rc_open, 0);
  ck_assert_int_eq(t.took, SIGUSR1);
  ck_assert_uint_eq(t.count, 1);
  ck_assert_int_eq(t.rc_close, 0);
  ck_assert(sp_raw_is_default(SIGUSR1));
}
END_TEST

/* fork(): the child has no watches, and gets the signal back. */
START_TEST(test_fork_child) {
  sigport_sigset_t set = sp_set_of(SIGUSR2);
  sigport_watch_t *w;
  int fd;
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  fd = sigport_watch_fd(w);
  sp_fork_expect_given_back(SIGUSR2, fd);
  ck_assert(!sp_raw_is_default(SIGUSR2));
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Exactness: a forked child sigqueue()s, paced by the parent.        */
/* ------------------------------------------------------------------ */

#define SP_SENDS 20000
#define SP_BATCH 500

static const int watch_counts[] = {1, 8, 64};

/* Waits until every watch has counted `want` deliveries (strict), or
   takes what is there (relaxed). */
static void collect(sigport_watch_t **w, unsigned long *total, int n,
                    unsigned long want, int strict) {
  struct pollfd p[64];
  int i, done;
  for (;;) {
    done = 1;
    for (i = 0; i < n; i++) {
      total[i] += take_all(w[i]);
      ck_assert_msg(total[i] <= want, "watch %d counted %lu of %lu", i,
                    total[i], want);
      if (total[i] < want) done = 0;
    }
    if (done || !strict) return;
    /* An event, not a time: a lost delivery hangs here until the test's
       timeout fails it. */
    for (i = 0; i < n; i++) {
      p[i].fd = sigport_watch_fd(w[i]);
      p[i].events = POLLIN;
      p[i].revents = 0;
    }
    if (poll(p, (nfds_t)n, -1) < 0) ck_assert_int_eq(errno, EINTR);
  }
}

START_TEST(test_exact_child) {
  int n = watch_counts[_i], i, strict = !sp_test_relaxed_counts();
  int sig = SIGRTMIN, up, down, status;
  sigport_sigset_t set = sp_set_of(sig);
  sigport_watch_t *w[64];
  unsigned long total[64];
  unsigned long sent = 0;
  pid_t pid;
  for (i = 0; i < n; i++) SP_ASSERT_OK(sigport_watch_open(&set, 0, &w[i]));
  memset(total, 0, sizeof total);
  pid = sp_start_paced_sender(sig, SP_SENDS, SP_BATCH, &up, &down);
  for (i = 0; i < SP_SENDS / SP_BATCH; i++) {
    char c;
    ck_assert_int_eq(sp_read_byte(up, &c), 1);
    sent += SP_BATCH;
    collect(w, total, n, sent, strict);
    ck_assert_int_eq(write(down, &c, 1), 1);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "sender status 0x%x", status);
  collect(w, total, n, sent, strict);
  for (i = 0; i < n; i++) {
    if (strict)
      ck_assert_msg(total[i] == sent, "watch %d of %d: %lu of %lu", i, n,
                    total[i], sent);
    else
      ck_assert_msg(total[i] >= 1 && total[i] <= sent, "watch %d: %lu of %lu",
                    i, total[i], sent);
    SP_ASSERT_OK(sigport_watch_close(w[i]));
  }
  close(up);
  close(down);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Storms from threads.                                               */
/* ------------------------------------------------------------------ */

#define SP_STORM 5000

/* Waits on the watch's fd and the senders' pipe; takes and dispatches,
   until both senders are done and (strict) the watch counted every
   delivery. */
static unsigned long storm_loop(sigport_watch_t *w, int done_rd,
                                unsigned long want, struct sp_counter *c) {
  int done = 0, strict = !sp_test_relaxed_counts();
  unsigned long total = 0;
  for (;;) {
    struct pollfd p[2];
    char buf[2];
    total += take_all(w);
    ck_assert_int_ge(sigport_dispatch(), 0);
    ck_assert_msg(total <= want, "%lu of %lu", total, want);
    if (done == 2 && (!strict || (total == want &&
                                  (c == NULL || c->total == want))))
      return total;
    p[0].fd = sigport_watch_fd(w);
    p[0].events = POLLIN;
    p[1].fd = done_rd;
    p[1].events = done < 2 ? POLLIN : 0;
    p[0].revents = p[1].revents = 0;
    if (poll(p, 2, -1) < 0) {
      ck_assert_int_eq(errno, EINTR);
      continue;
    }
    if (p[1].revents & POLLIN) {
      ssize_t n = read(done_rd, buf, (size_t)(2 - done));
      if (n > 0) done += (int)n;
    }
  }
}

START_TEST(test_storm_threads_dispatch) {
  int sig = SIGRTMIN + 1, fds[2];
  sigport_sigset_t set = sp_set_of(sig);
  struct sp_storm st;
  struct sp_counter c;
  sigport_watch_t *w;
  pthread_t t[2];
  unsigned long total;
  memset(&c, 0, sizeof c);
  memset(&st, 0, sizeof st);
  ck_assert_int_eq(pipe(fds), 0);
  st.signum = sig;
  st.sends = SP_STORM;
  st.done_fd = fds[1];
  SP_ASSERT_OK(sigport_signal(sig, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  ck_assert_int_eq(pthread_create(&t[0], NULL, sp_storm_sender, &st), 0);
  ck_assert_int_eq(pthread_create(&t[1], NULL, sp_storm_sender, &st), 0);
  total = storm_loop(w, fds[0], 2 * SP_STORM, &c);
  ck_assert_int_eq(pthread_join(t[0], NULL), 0);
  ck_assert_int_eq(pthread_join(t[1], NULL), 0);
  ck_assert_int_eq(st.failed, 0);
  if (!sp_test_relaxed_counts()) {
    ck_assert_uint_eq(total, 2 * SP_STORM);
    ck_assert_uint_eq(c.total, 2 * SP_STORM);
  } else {
    ck_assert(total >= 1 && c.total <= 2 * SP_STORM);
  }
  SP_ASSERT_OK(sigport_watch_close(w));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

/* Two signals on one watch, a sender thread each, and one take per
   wakeup of the fd, as a poll loop does: a take returns one signal and
   must leave the fd readable while anything is untaken, whichever of the
   two came while it ran. A poll that times out with counts missing is the
   failure (the fd went quiet with something left), and each signal's
   takes add up to what its sender sent. */
START_TEST(test_storm_two_signals) {
  int sig[2], fds[2], done = 0, i, strict = !sp_test_relaxed_counts();
  struct sp_storm st[2];
  pthread_t t[2];
  unsigned long got[2] = {0, 0};
  sigport_siginfo_t info;
  sigport_sigset_t set;
  sigport_watch_t *w;
  sig[0] = SIGRTMIN + 3;
  sig[1] = SIGRTMIN + 4;
  set = sp_set_of(sig[0]);
  sigport_sigaddset(&set, sig[1]);
  ck_assert_int_eq(pipe(fds), 0);
  memset(st, 0, sizeof st);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  for (i = 0; i < 2; i++) {
    st[i].signum = sig[i];
    st[i].sends = SP_STORM;
    st[i].done_fd = fds[1];
    ck_assert_int_eq(pthread_create(&t[i], NULL, sp_storm_sender, &st[i]), 0);
  }
  while (done < 2 ||
         (strict && (got[0] != SP_STORM || got[1] != SP_STORM))) {
    int rc = sp_storm_poll((int)sigport_watch_fd(w), fds[0], &done, 2);
    ck_assert_msg(rc >= 0,
                  "the watch's fd stayed quiet for 30 s with %lu and %lu "
                  "of %d deliveries of each signal taken, senders done: %d",
                  got[0], got[1], SP_STORM, done);
    if (rc == 1) {
      int s = sigport_watch_take(w, &info);
      ck_assert_msg(s == 0 || s == sig[0] || s == sig[1],
                    "take returned %d, not a watched signal", s);
      if (s != 0) got[s == sig[1]] += info.count;
    }
  }
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    ck_assert_int_eq(st[i].failed, 0);
  }
  if (strict) {
    /* Everything was taken: the next take finds nothing and leaves the
       fd quiet. */
    ck_assert_int_eq(sigport_watch_take(w, &info), 0);
    ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  } else {
    ck_assert(got[0] <= SP_STORM && got[1] <= SP_STORM);
  }
  SP_ASSERT_OK(sigport_watch_close(w));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

/* Threads open and close watches in a loop while the storm runs; the
   watch that stays open counts exactly. */
START_TEST(test_churn) {
  int sig = SIGRTMIN + 2, fds[2], i;
  sigport_sigset_t set = sp_set_of(sig);
  struct sp_storm st;
  struct sp_churn ch[3];
  sigport_watch_t *w;
  pthread_t senders[2], churners[3];
  unsigned long total;
  memset(&st, 0, sizeof st);
  ck_assert_int_eq(pipe(fds), 0);
  st.signum = sig;
  st.sends = SP_STORM;
  st.done_fd = fds[1];
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  for (i = 0; i < 3; i++) {
    memset(&ch[i], 0, sizeof ch[i]);
    ch[i].set = sp_set_of(sig);
    sigport_sigaddset(&ch[i].set, SIGUSR2);
    ck_assert_int_eq(pthread_create(&churners[i], NULL, sp_churner, &ch[i]),
                     0);
  }
  ck_assert_int_eq(pthread_create(&senders[0], NULL, sp_storm_sender, &st), 0);
  ck_assert_int_eq(pthread_create(&senders[1], NULL, sp_storm_sender, &st), 0);
  total = storm_loop(w, fds[0], 2 * SP_STORM, NULL);
  ck_assert_int_eq(pthread_join(senders[0], NULL), 0);
  ck_assert_int_eq(pthread_join(senders[1], NULL), 0);
  for (i = 0; i < 3; i++) {
    ch[i].stop = 1;
    ck_assert_int_eq(pthread_join(churners[i], NULL), 0);
    ck_assert_msg(ch[i].failed == 0, "churner %d: %d", i, ch[i].failed);
    ck_assert_int_gt(ch[i].opened, 0);
  }
  ck_assert_int_eq(st.failed, 0);
  if (!sp_test_relaxed_counts())
    ck_assert_uint_eq(total, 2 * SP_STORM);
  else
    ck_assert(total >= 1 && total <= 2 * SP_STORM);
  SP_ASSERT_OK(sigport_watch_close(w));
  /* SIGUSR2 was held by the churners only: given back. */
  ck_assert(sp_raw_is_default(SIGUSR2));
  ck_assert(sp_raw_is_default(sig));
  close(fds[0]);
  close(fds[1]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Queue mode.                                                        */
/* ------------------------------------------------------------------ */

START_TEST(test_queue_order) {
  int a = SIGRTMIN, b = SIGRTMIN + 1, i, last = -1, got = 0;
  int strict = !sp_test_relaxed_counts();
  sigport_sigset_t set = sp_set_of(a);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  int s;
  sigport_sigaddset(&set, b);
  SP_ASSERT_OK(sigport_watch_open(&set, SIGPORT_WATCH_QUEUE, &w));
  /* b before a: oldest first across signals, not lowest first. */
  for (i = 0; i < 1000; i++) sp_queue_self((i & 1) ? a : b, i);
  while ((s = sigport_watch_take(w, &info)) > 0) {
    ck_assert_uint_eq(info.count, 1);
    ck_assert_int_gt(info.value_int, last);
    if (strict) {
      ck_assert_int_eq(info.value_int, got);
      ck_assert_int_eq(s, (got & 1) ? a : b);
    }
    ck_assert_int_eq(s, (info.value_int & 1) ? a : b);
    ck_assert_int_eq(info.pid, getpid());
    ck_assert_int_eq(info.code, SI_QUEUE);
    last = info.value_int;
    got++;
  }
  if (strict) ck_assert_int_eq(got, 1000);
  ck_assert_int_ge(got, 1);
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

START_TEST(test_queue_overflow) {
  int sig = SIGRTMIN, i, s, strict = !sp_test_relaxed_counts();
  sigport_sigset_t set = sp_set_of(sig);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  unsigned long total = 0, records = 0;
  int last = -1;
  SP_ASSERT_OK(sigport_watch_open(&set, SIGPORT_WATCH_QUEUE, &w));
  /* 1024 fit the ring, 6 are surplus. */
  for (i = 0; i < 1030; i++) sp_queue_self(sig, i);
  /* Two out of the ring make room, but the new ones join the surplus. */
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(sigport_watch_take(w, &info), sig);
    ck_assert_uint_eq(info.count, 1);
    if (strict) ck_assert_int_eq(info.value_int, i);
    last = info.value_int;
    total++;
  }
  for (i = 1030; i < 1033; i++) sp_queue_self(sig, i);
  while ((s = sigport_watch_take(w, &info)) > 0) {
    ck_assert_int_eq(s, sig);
    ck_assert_int_gt(info.value_int, last);
    last = info.value_int;
    total += info.count;
    records++;
    if (strict && records <= 1022) {
      ck_assert_uint_eq(info.count, 1);
      ck_assert_int_eq(info.value_int, (int)records + 1);
    }
  }
  if (strict) {
    /* 1022 left in the ring, then one record for the 9 surplus: 8 of
       their payloads were dropped, the last one's is there. */
    ck_assert_uint_eq(records, 1023);
    ck_assert_uint_eq(info.count, 0);
    ck_assert_uint_eq(total, 1033);
  } else {
    ck_assert(total >= 1 && total <= 1033);
  }
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

/* The surplus record: its count and the last payload. */
START_TEST(test_queue_surplus_record) {
  int sig = SIGRTMIN + 3, i, s;
  sigport_sigset_t set = sp_set_of(sig);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  unsigned long n = 0;
  if (sp_test_relaxed_counts()) return; /* merged deliveries never fill it */
  SP_ASSERT_OK(sigport_watch_open(&set, SIGPORT_WATCH_QUEUE, &w));
  for (i = 0; i < 1500; i++) sp_queue_self(sig, i);
  while ((s = sigport_watch_take(w, &info)) > 0 && info.count == 1) n++;
  ck_assert_uint_eq(n, 1024);
  ck_assert_int_eq(s, sig);
  ck_assert_uint_eq(info.count, 1500 - 1024);
  ck_assert_int_eq(info.value_int, 1499);
  ck_assert_int_eq(sigport_watch_take(w, &info), 0);
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

#if defined(SIGPORT_TEST_INTERNALS)
/* A burst that comes while a take is between its look at the ring and its
   look at the surplus: the take found the ring empty, and before it looks
   further the burst fills the ring and overflows. The take must give the
   ring's oldest first, not the surplus that is newer than all of it. (A
   take stopped there by SIGSTOP, with the burst queued meanwhile and
   delivered on SIGCONT, does the same; the test point makes the moment
   exact.) */
static int burst_signum, burst_n, burst_ran;

static void burst(void) {
  int i;
  sp__point_set(SP_POINT_TAKE_RING_EMPTY, NULL);
  burst_ran = 1;
  for (i = 1; i <= burst_n; i++) sp_queue_self(burst_signum, i);
}

START_TEST(test_queue_burst_during_take) {
  int sig = SIGRTMIN, n = (int)SP_WATCH_RING + 76, s, last = 0;
  int strict = !sp_test_relaxed_counts();
  sigport_sigset_t set = sp_set_of(sig);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  unsigned long total = 0, records = 0;
  SP_ASSERT_OK(sigport_watch_open(&set, SIGPORT_WATCH_QUEUE, &w));
  burst_signum = sig;
  burst_n = n;
  burst_ran = 0;
  sp__point_set(SP_POINT_TAKE_RING_EMPTY, burst);
  while ((s = sigport_watch_take(w, &info)) > 0) {
    ck_assert_int_eq(s, sig);
    ck_assert_msg(info.value_int > last,
                  "take %lu: value %d (count %lu) after value %d", records + 1,
                  info.value_int, info.count, last);
    last = info.value_int;
    total += info.count;
    records++;
    if (strict && records <= SP_WATCH_RING) {
      ck_assert_uint_eq(info.count, 1);
      ck_assert_int_eq(info.value_int, (int)records);
    }
  }
  ck_assert(burst_ran);
  if (strict) {
    /* The ring's 1024 in order, then one record for the 76 surplus. */
    ck_assert_uint_eq(records, SP_WATCH_RING + 1);
    ck_assert_uint_eq(total, (unsigned long)n);
    ck_assert_int_eq(last, n);
  } else {
    ck_assert(total >= 1 && total <= (unsigned long)n);
  }
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

/* A trip on another thread that claimed the ring's oldest cell and has not
   filled it yet, when the ring behind it is full and the signal has
   surplus: the take gives nothing (not the newer surplus) and leaves the
   fd readable; once the cell is filled, it comes first. The claim is the
   ring's own accounting, made by hand. */
START_TEST(test_queue_claimed_cell_first) {
  int sig = SIGRTMIN + 1, n = (int)SP_WATCH_RING + 76, i, s;
  sigport_sigset_t set = sp_set_of(sig);
  sigport_siginfo_t info;
  sigport_watch_t *w;
  struct sigport_watch *iw;
  struct sp_cell *cell;
  if (sp_test_relaxed_counts()) return; /* merged deliveries never fill it */
  SP_ASSERT_OK(sigport_watch_open(&set, SIGPORT_WATCH_QUEUE, &w));
  iw = (struct sigport_watch *)w;
  cell = &iw->ring[0];
  ck_assert_uint_eq(atomic_fetch_add(&iw->tail, 1u), 0);
  /* Cells 1 to 1023 get 1 to 1023; 1024 to n find the ring full. */
  for (i = 1; i <= n; i++) sp_queue_self(sig, i);
  ck_assert_int_eq(sigport_watch_take(w, &info), 0);
  ck_assert_uint_eq(info.count, 0);
  ck_assert(sp_fd_readable(sigport_watch_fd(w)));
  /* The trip finishes: its delivery carries the value 0. */
  cell->signo = sig;
  cell->rec = iw->ring[1].rec;
  cell->rec.value = 0;
  atomic_store(&cell->seq, 1u);
  for (i = 0; i < (int)SP_WATCH_RING; i++) {
    ck_assert_int_eq(sigport_watch_take(w, &info), sig);
    ck_assert_uint_eq(info.count, 1);
    ck_assert_int_eq(info.value_int, i);
  }
  s = sigport_watch_take(w, &info);
  ck_assert_int_eq(s, sig);
  ck_assert_uint_eq(info.count, (unsigned long)(n - (int)SP_WATCH_RING + 1));
  ck_assert_int_eq(info.value_int, n);
  ck_assert_int_eq(sigport_watch_take(w, &info), 0);
  ck_assert(!sp_fd_readable(sigport_watch_fd(w)));
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST
#endif

Suite *sp_suite_watch(void) {
  Suite *s = suite_create("watch");
  TCase *tc = tcase_create("watch");
  TCase *storm = tcase_create("storm");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_basic);
  tcase_add_test(tc, test_order_and_rering);
  tcase_add_test(tc, test_ignored_comes_back);
  tcase_add_test(tc, test_with_handler);
  tcase_add_test(tc, test_replaced_left_alone);
  sp_tcase_add_thread_test(tc, test_any_thread);
  tcase_add_test(tc, test_fork_child);
  tcase_add_test(tc, test_queue_order);
  tcase_add_test(tc, test_queue_overflow);
  tcase_add_test(tc, test_queue_surplus_record);
#if defined(SIGPORT_TEST_INTERNALS)
  tcase_add_test(tc, test_queue_burst_during_take);
  tcase_add_test(tc, test_queue_claimed_cell_first);
#endif
  suite_add_tcase(s, tc);
  tcase_set_timeout(storm, 120);
  tcase_add_checked_fixture(storm, setup, teardown);
  tcase_add_loop_test(storm, test_exact_child, 0,
                      (int)(sizeof watch_counts / sizeof watch_counts[0]));
  sp_tcase_add_thread_test(storm, test_storm_threads_dispatch);
  sp_tcase_add_thread_test(storm, test_storm_two_signals);
  sp_tcase_add_thread_test(storm, test_churn);
  suite_add_tcase(s, storm);
  return s;
}
