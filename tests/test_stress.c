/*
 * test_stress.c: no lost deliveries under load, no crash and no deadlock
 * under a storm of signals from several threads, a full wakeup buffer
 * that loses nothing, and handlers that call back into sigport.
 *
 * POSIX only. Exact delivery counts are asserted against what the sender
 * reports it sent, except where sp_test_relaxed_counts() says that the
 * configuration merges queued signals (ThreadSanitizer, valgrind).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* Sends a signal to this process with the raw kill(): the trip runs before
   kill() returns, and nothing is dispatched. */
static void raw_kill(int signum) {
  ck_assert_int_eq(kill(getpid(), signum), 0);
}

static void nap_us(long us) {
  struct timespec ts;
  ts.tv_sec = us / 1000000;
  ts.tv_nsec = (us % 1000000) * 1000;
  nanosleep(&ts, NULL);
}

/* A watchdog for waits in sigport_pause(): SIGALRM, with a sigport
   handler, ends a sleep that nothing else ended. A test that was woken
   only by it has lost a wakeup. */
static struct sp_counter watchdog;

static void watchdog_start(unsigned seconds) {
  memset(&watchdog, 0, sizeof watchdog);
  SP_ASSERT_OK(sigport_signal(SIGALRM, sp_count_handler, &watchdog, NULL));
  alarm(seconds);
}

static void watchdog_stop(void) {
  alarm(0);
  SP_ASSERT_OK(sigport_signal(SIGALRM, SIGPORT_SIG_DFL, NULL, NULL));
}

/* The signals these tests send. */
static void test_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGUSR1);
  sigaddset(set, SIGUSR2);
  sigaddset(set, SIGALRM);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGRTMIN);
  sigaddset(set, SIGRTMIN + 1);
  sigaddset(set, SIGRTMIN + 2);
}

/* After a storm, the calling thread's mask must be what it was before:
   sigport's trip changes it only while it runs. ThreadSanitizer's own
   signal delivery (clang 14) can leave a thread with a handler's sa_mask
   blocked after a storm, with a plain sigaction() handler as well, so the
   relaxed configurations put the mask back instead of asserting. */
static void check_mask(const sigset_t *before) {
  sigset_t now, ours;
  int s;
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &now), 0);
  test_signals(&ours);
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (sigismember(&ours, s) != 1) continue;
    if (sigismember(&now, s) == sigismember(before, s)) continue;
    if (sp_test_relaxed_counts()) {
      ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, before, NULL), 0);
      return;
    }
    ck_abort_msg("signal %d is %s after the storm", s,
                 sigismember(&now, s) == 1 ? "blocked" : "unblocked");
  }
}

/* Waits without giving up the processor. */
static void spin_us(double us) {
  double end = sp_now_ms() + us / 1000.0;
  while (sp_now_ms() < end) {
  }
}

/* ------------------------------------------------------------------ */
/* Queued signals from a child                                         */
/* ------------------------------------------------------------------ */

/* A handler's view of a run of queued signals carrying 0, 1, 2 ... */
struct rt_counter {
  int calls;
  unsigned long total;  /* info->count added up */
  int last_value;       /* si_value.sival_int of the last call's info */
  int backwards;        /* calls whose value was below the previous one */
  int bad_value;        /* calls whose value was outside what was sent */
  long limit;           /* values are in [0; limit) */
};

static int rt_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  struct rt_counter *c = arg;
  (void)signum;
  if (info->value_int < 0 || info->value_int >= c->limit) c->bad_value++;
  if (c->calls > 0 && info->value_int < c->last_value) c->backwards++;
  c->calls++;
  c->total += info->count;
  c->last_value = info->value_int;
  return 0;
}

/* What the sending child reports through a pipe. */
struct sender_report {
  long sent;    /* sigqueue() calls that succeeded, the marker aside */
  long eagain;  /* refusals because the queue was full, retried */
  int error;    /* errno of a failure other than EAGAIN, or 0 */
  int marker_sent;
};

/* Queues `n` signals `signum` carrying 0 .. n-1 to `parent`, then one
   `marker` carrying n, retrying while the queue is full; reports on fd and
   exits. */
static void sender_child(pid_t parent, int signum, int marker, long n, int fd) {
  struct sender_report r;
  union sigval v;
  long i;
  memset(&r, 0, sizeof r);
  /* The whole union travels: zero it, so that the value read back as a
     pointer is the integer sent. */
  memset(&v, 0, sizeof v);
  for (i = 0; i < n && r.error == 0; i++) {
    v.sival_int = (int)i;
    while (sigqueue(parent, signum, v) != 0) {
      if (errno != EAGAIN) {
        r.error = errno;
        break;
      }
      r.eagain++;
      nap_us(50);
    }
    if (r.error == 0) r.sent++;
    /* The kernel delivers queued signals back to back while any is left,
       so a sender that never pauses would have the parent's trips take
       everything before its loop dispatches once. Short pauses let
       dispatches run between bursts, and trips interrupt them. */
    if (i % 64 == 63) nap_us(20);
  }
  v.sival_int = (int)n;
  while (r.error == 0 && sigqueue(parent, marker, v) != 0) {
    if (errno != EAGAIN) {
      r.error = errno;
      break;
    }
    r.eagain++;
    nap_us(50);
  }
  r.marker_sent = r.error == 0;
  if (write(fd, &r, sizeof r) != (ssize_t)sizeof r) _exit(4);
  _exit(r.error == 0 ? 0 : 3);
}

/* How the main thread waits while the sender sends. */
enum wait_mode {
  SPIN,  /* sigport_dispatch() in a tight loop */
  NAP,   /* sigport_dispatch(), then a nap that a signal ends */
  PAUSE  /* sigport_pause() */
};

struct queued_run {
  long n;
  enum wait_mode mode;
  struct rt_counter rt;
  struct sp_counter end;
  struct sender_report report;
  int status;
  int dispatches; /* calls that dispatched while it sent */
  double ms;
};

/* Installs the handlers, forks the sender, and dispatches on this thread
   while it sends, until the end marker has been dispatched; then once
   more. The parent never blocks the signals, so the kernel's queue is
   emptied by the trips as fast as the child fills it. */
static void run_queued(struct queued_run *q) {
  int fds[2], dispatches = 0, reaped = 0, rc = 0;
  pid_t child;
  double start = sp_now_ms(), deadline = start + 50000.0, grace = 0;
  ssize_t got;
  sigset_t mask;
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
  memset(&q->rt, 0, sizeof q->rt);
  memset(&q->end, 0, sizeof q->end);
  q->rt.limit = q->n;
  q->rt.last_value = -1;
  SP_ASSERT_OK(sigport_signal(SIGRTMIN, rt_handler, &q->rt, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN + 1, sp_count_handler, &q->end, NULL));
  if (q->mode == PAUSE) watchdog_start(50);
  ck_assert_int_eq(pipe(fds), 0);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    close(fds[0]);
    sender_child(getppid(), SIGRTMIN, SIGRTMIN + 1, q->n, fds[1]);
  }
  close(fds[1]);
  if (q->mode == PAUSE) {
    /* Only a signal ends a pause: the end marker, or the watchdog if the
       sender failed or a wakeup was lost. */
    while (rc == 0 && q->end.calls == 0 && watchdog.calls == 0) {
      rc = sigport_pause();
      dispatches++;
    }
    watchdog_stop();
    ck_assert_msg(rc == 0, "sigport_pause: %d (%s)", rc, sigport_last_error());
    ck_assert_msg(watchdog.calls == 0,
                  "no end marker after %.0f ms: %lu of %ld dispatched",
                  sp_now_ms() - start, q->rt.total, q->n);
  }
  while (q->end.calls == 0) {
    ck_assert_int_eq(sigport_dispatch(), 0);
    dispatches++;
    if (q->end.calls != 0) break;
    if (dispatches % 256 == 0 || q->mode == NAP) {
      check_mask(&mask);
      if (!reaped && waitpid(child, &q->status, WNOHANG) == child) {
        /* Every signal it sent was delivered before waitpid() returned;
           allow a moment for the last dispatch all the same. */
        reaped = 1;
        grace = sp_now_ms() + 1000.0;
      }
      if (reaped && sp_now_ms() > grace) break;
      ck_assert_msg(sp_now_ms() < deadline,
                    "no end marker after %.0f ms: %lu of %ld dispatched",
                    sp_now_ms() - start, q->rt.total, q->n);
    }
    /* A signal ends the nap at once. */
    if (q->mode == NAP) nap_us(1000);
  }
  check_mask(&mask);
  ck_assert_int_eq(sigport_dispatch(), 0);
  if (!reaped) ck_assert_int_eq(waitpid(child, &q->status, 0), child);
  memset(&q->report, 0, sizeof q->report);
  got = read(fds[0], &q->report, sizeof q->report);
  close(fds[0]);
  q->ms = sp_now_ms() - start;
  ck_assert_msg(got == (ssize_t)sizeof q->report, "no report from the sender");
  ck_assert_msg(q->report.error == 0, "the sender failed: %s",
                strerror(q->report.error));
  ck_assert_msg(WIFEXITED(q->status) && WEXITSTATUS(q->status) == 0,
                "the sender ended with status %d", q->status);
  ck_assert_msg(q->report.marker_sent, "the sender sent no end marker");
  ck_assert_msg(q->end.calls == 1 && q->end.total == 1,
                "end marker: %d calls, %lu deliveries", q->end.calls,
                q->end.total);
  ck_assert_int_eq(q->end.last.value_int, q->n);
  q->dispatches = dispatches + 1;
}

/* The handlers' counts add up to exactly what the sender sent. */
static void assert_no_loss(const struct queued_run *q) {
  ck_assert_int_eq(q->report.sent, q->n);
  ck_assert_int_ge(q->rt.calls, 1);
  ck_assert_int_eq(q->rt.bad_value, 0);
  if (sp_test_relaxed_counts()) {
    ck_assert_msg(
        q->rt.total >= 1 && q->rt.total <= (unsigned long)q->report.sent,
        "%lu dispatched of %ld sent", q->rt.total, q->report.sent);
    return;
  }
  ck_assert_msg(q->rt.total == (unsigned long)q->report.sent,
                "%lu dispatched of %ld sent (%d handler calls, %ld EAGAIN)",
                q->rt.total, q->report.sent, q->rt.calls, q->report.eagain);
  /* Queued in order, recorded in order: the last value is the last sent,
     and no call saw an older one than the call before. */
  ck_assert_int_eq(q->rt.backwards, 0);
  ck_assert_int_eq(q->rt.last_value, q->n - 1);
  ck_assert_int_eq(sigport_pending(), 0);
}

#define QUEUED_N 20000

/* The main thread dispatches in a tight loop, so that trips often land in
   the middle of a dispatch. */
START_TEST(test_no_loss_queued) {
  struct queued_run q;
  memset(&q, 0, sizeof q);
  q.n = QUEUED_N;
  q.mode = SPIN;
  run_queued(&q);
  assert_no_loss(&q);
}
END_TEST

/* The main thread sleeps in sigport_pause() between bursts. */
START_TEST(test_no_loss_queued_pause) {
  struct queued_run q;
  memset(&q, 0, sizeof q);
  q.n = QUEUED_N;
  q.mode = PAUSE;
  run_queued(&q);
  assert_no_loss(&q);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The wakeup fd with a full buffer                                    */
/* ------------------------------------------------------------------ */

/* Fills a non-blocking fd until the system refuses more. */
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

/* What went to stderr: lines equal to the report of a full buffer, and
   the first other line. */
struct captured {
  int lines, reports;
  char other[256];
};

/* Runs the queued storm with the wakeup fd set to the full end of a
   socket pair, with stderr sent to a file, and sorts what went there. */
static void queued_into_full_buffer(struct queued_run *q, unsigned flags,
                                    struct captured *out) {
  sigport_socket_t pair[2];
  FILE *tmp = tmpfile();
  int saved;
  char byte = 0, line[512], report[256];
  ck_assert_ptr_nonnull(tmp);
  memset(out, 0, sizeof *out);
  snprintf(report, sizeof report,
           "sigport: could not write to the wakeup fd: %s\n", strerror(EAGAIN));
  SP_ASSERT_OK(sigport_socketpair(pair));
  ck_assert_int_gt(fill(pair[1]), 0);
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], flags, NULL));
  fflush(stderr);
  saved = dup(2);
  ck_assert_int_ge(saved, 0);
  ck_assert_int_ge(dup2(fileno(tmp), 2), 0);
  run_queued(q);
  fflush(stderr);
  ck_assert_int_ge(dup2(saved, 2), 0);
  close(saved);
  /* The buffer stayed full: every write of the trip failed. */
  ck_assert_int_eq(write(pair[1], &byte, 1), -1);
  ck_assert_int_eq(errno, EAGAIN);
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);
  rewind(tmp);
  while (fgets(line, sizeof line, tmp) != NULL) {
    out->lines++;
    if (strcmp(line, report) == 0)
      out->reports++;
    else if (out->other[0] == '\0')
      snprintf(out->other, sizeof out->other, "%.200s", line);
  }
  fclose(tmp);
}

START_TEST(test_full_wakeup_buffer_no_warn) {
  struct queued_run q;
  struct captured err;
  memset(&q, 0, sizeof q);
  q.n = QUEUED_N;
  q.mode = NAP;
  queued_into_full_buffer(&q, SIGPORT_WAKEUP_NO_WARN, &err);
  assert_no_loss(&q);
  ck_assert_msg(err.lines == 0, "%d lines on stderr, the first other '%s'",
                err.lines, err.other);
}
END_TEST

START_TEST(test_full_wakeup_buffer_warns) {
  struct queued_run q;
  struct captured err;
  memset(&q, 0, sizeof q);
  q.n = QUEUED_N;
  q.mode = SPIN;
  queued_into_full_buffer(&q, 0, &err);
  assert_no_loss(&q);
  /* The report and nothing else, at most once a dispatch. */
  ck_assert_msg(err.reports >= 1 && err.reports == err.lines,
                "%d lines, %d reports, the first other '%s'", err.lines,
                err.reports, err.other);
  ck_assert_int_le(err.reports, q.dispatches);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A storm from two threads                                            */
/* ------------------------------------------------------------------ */

#define STORM_N 50000

/* Sends signum to the main thread (pthread_kill) or to the process
   (kill), retrying while the kernel's queue is full (a real-time signal
   is refused then). */
static int send_retrying(pthread_t target, int use_pthread_kill, int signum) {
  double deadline = sp_now_ms() + 20000.0;
  for (;;) {
    int rc = use_pthread_kill ? pthread_kill(target, signum)
                              : (kill(getpid(), signum) == 0 ? 0 : errno);
    if (rc != EAGAIN || sp_now_ms() > deadline) return rc;
    nap_us(100);
  }
}

struct storm_sender {
  pthread_t target; /* the main thread, for pthread_kill */
  int use_pthread_kill;
  int signum, final;
  long sent, errors;
  int block_rc, final_rc;
  atomic_int *finished; /* senders done with the storm */
  atomic_int *go;       /* the main thread waits for the final signals */
};

static void *storm_thread(void *p) {
  struct storm_sender *s = p;
  double deadline;
  long i;
  /* Deliveries are for the main thread: this one takes none. */
  s->block_rc = sigport_thread_block(NULL);
  for (i = 0; i < STORM_N; i++) {
    int rc = s->use_pthread_kill ? pthread_kill(s->target, s->signum)
                                 : kill(getpid(), s->signum);
    if (rc == 0)
      s->sent++;
    else
      s->errors++;
  }
  atomic_fetch_add(s->finished, 1);
  /* The final signal goes out when both storms are over and the main
     thread has stopped spinning. */
  deadline = sp_now_ms() + 50000.0;
  while (!atomic_load(s->go) && sp_now_ms() < deadline) sched_yield();
  s->final_rc = send_retrying(s->target, s->use_pthread_kill, s->final);
  return NULL;
}

START_TEST(test_storm_from_two_threads) {
  struct sp_counter usr1 = {0}, usr2 = {0}, hup = {0}, rt = {0};
  struct storm_sender a, b;
  atomic_int finished, go;
  pthread_t ta, tb;
  double start, deadline;
  long rounds = 0;
  int rc = 0, before1, before2;
  sigport_handler_t h;
  sigset_t mask;
  atomic_init(&finished, 0);
  atomic_init(&go, 0);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &hup, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN + 2, sp_count_handler, &rt, NULL));
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  a.target = b.target = pthread_self();
  a.use_pthread_kill = 1;
  a.signum = SIGUSR1;
  a.final = SIGHUP;
  b.signum = SIGUSR2;
  b.final = SIGRTMIN + 2;
  a.finished = b.finished = &finished;
  a.go = b.go = &go;
  ck_assert_int_eq(pthread_create(&ta, NULL, storm_thread, &a), 0);
  ck_assert_int_eq(pthread_create(&tb, NULL, storm_thread, &b), 0);

  /* The storm: dispatch in a tight loop while they send, now and then
     putting the same handler in place again and reading one back. */
  start = sp_now_ms();
  deadline = start + 50000.0;
  while (atomic_load(&finished) < 2 && sp_now_ms() < deadline) {
    rc = sigport_dispatch();
    if (rc != 0) break;
    if (++rounds % 4096 == 0) {
      rc = sigport_signal(SIGUSR1, sp_count_handler, &usr1, NULL);
      if (rc != 0) break;
      rc = sigport_getsignal(SIGUSR2, &h);
      if (rc != 0) break;
      if (h.fn != sp_count_handler) rc = -999;
    }
  }
  check_mask(&mask);
  /* The last signals: this thread sleeps in sigport_pause() until both
     were dispatched; only the watchdog may end a lost wakeup. */
  atomic_store(&go, 1);
  if (rc == 0) watchdog_start(20);
  while (rc == 0 && (hup.calls == 0 || rt.calls == 0) && watchdog.calls == 0)
    rc = sigport_pause();
  if (rc == 0) watchdog_stop();
  /* Join before asserting, so that a failure leaves no thread behind. */
  ck_assert_int_eq(pthread_join(ta, NULL), 0);
  ck_assert_int_eq(pthread_join(tb, NULL), 0);
  ck_assert_msg(rc == 0, "dispatching failed: %d (%s)", rc,
                sigport_last_error());
  ck_assert_int_eq(a.block_rc, 0);
  ck_assert_int_eq(b.block_rc, 0);
  ck_assert_int_eq(a.errors, 0);
  ck_assert_int_eq(b.errors, 0);
  ck_assert_int_eq(a.sent, STORM_N);
  ck_assert_int_eq(b.sent, STORM_N);
  ck_assert_int_eq(a.final_rc, 0);
  ck_assert_int_eq(b.final_rc, 0);
  ck_assert_msg(watchdog.calls == 0 && hup.calls == 1 && rt.calls == 1,
                "final signals after %.0f ms: SIGHUP %d, SIGRTMIN+2 %d, "
                "watchdog %d (SIGUSR1 %lu, SIGUSR2 %lu)",
                sp_now_ms() - start, hup.calls, rt.calls, watchdog.calls,
                usr1.total, usr2.total);
  ck_assert_int_eq(sigport_dispatch(), 0);
  /* Standard signals merge: at least one, never more than sent. */
  ck_assert_msg(usr1.total >= 1 && usr1.total <= (unsigned long)a.sent,
                "SIGUSR1: %lu of %ld", usr1.total, a.sent);
  ck_assert_msg(usr2.total >= 1 && usr2.total <= (unsigned long)b.sent,
                "SIGUSR2: %lu of %ld", usr2.total, b.sent);
  ck_assert_uint_eq(hup.total, 1);
  ck_assert_uint_eq(rt.total, 1);
  /* The records are each sender's own: pthread_kill() and kill(). */
  ck_assert_int_eq(usr1.last.code, SI_TKILL);
  ck_assert_int_eq(usr2.last.code, SI_USER);
  ck_assert_int_eq(hup.last.code, SI_TKILL);
  ck_assert_int_eq(rt.last.code, SI_USER);
  ck_assert_int_eq(rt.last.pid, getpid());
  /* Everything was taken: nothing is left for another dispatch. */
  ck_assert_int_eq(sigport_pending(), 0);
  before1 = usr1.calls;
  before2 = usr2.calls;
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(usr1.calls, before1);
  ck_assert_int_eq(usr2.calls, before2);
}
END_TEST

/* Ping-pong through sigport_pause(): another thread makes signals arrive
   in small groups, with different delays before and within a group, and
   waits until the handlers have seen the whole group before the next, so
   that the signals come while this thread is dispatching, about to sleep,
   asleep, or just woken. A lost wakeup leaves this thread asleep with
   the group unseen, until the watchdog. The signals are real-time ones,
   queued rather than merged, so every one is counted.
   Loop 0: they are delivered to this thread (the other thread blocks
   them), so the trip interrupts the pause itself.
   Loop 1: they are delivered to the other thread (this one blocks them),
   so only the trip's write to the pause's wake object can end it. */
#define PINGS 2000

struct pinger {
  pthread_t target;
  int to_self;      /* deliver to the pinging thread, not to target */
  int group_max;    /* signals sent before waiting for them */
  atomic_int *seen; /* deliveries dispatched so far */
  atomic_int stop;  /* the main thread gave up */
  int mask_rc, errors, stuck;
};

static void ping_pair(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGRTMIN + 3);
  sigaddset(set, SIGRTMIN + 4);
}

static void *ping_thread(void *p) {
  struct pinger *g = p;
  int sent = 0, round;
  if (g->to_self) {
    sigset_t pair;
    ping_pair(&pair);
    g->mask_rc = pthread_sigmask(SIG_UNBLOCK, &pair, NULL);
  } else {
    g->mask_rc = sigport_thread_block(NULL);
  }
  for (round = 0; sent < PINGS; round++) {
    int k, group = 1 + round % g->group_max;
    double deadline;
    switch (round % 8) {
      case 1:
        sched_yield();
        break;
      case 2:
      case 3:
      case 4:
      case 5:
        /* A few microseconds, spread over the window of a thread on its
           way into its sleep. */
        spin_us((round / 8 % 16) * 0.4);
        break;
      case 6:
        nap_us(10);
        break;
      case 7:
        nap_us(200);
        break;
      default:
        break;
    }
    for (k = 0; k < group && sent < PINGS; k++, sent++) {
      /* SIGRTMIN+3 to one thread, SIGRTMIN+4 to the process: it goes to
         the one thread that does not block it. */
      if (sent % 2 == 0) {
        if (send_retrying(g->to_self ? pthread_self() : g->target, 1,
                          SIGRTMIN + 3))
          g->errors++;
      } else if (send_retrying(g->target, 0, SIGRTMIN + 4)) {
        g->errors++;
      }
      if (k + 1 < group) spin_us((sent * 7 % 16) * 0.4);
    }
    deadline = sp_now_ms() + 30000.0;
    while (atomic_load(g->seen) < sent) {
      if (atomic_load(&g->stop)) return NULL;
      if (sp_now_ms() > deadline) {
        g->stuck = sent;
        return NULL;
      }
      sched_yield();
    }
  }
  return NULL;
}

static int ping_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  atomic_fetch_add((atomic_int *)arg, (int)info->count);
  return 0;
}

START_TEST(test_pause_never_misses_a_signal) {
  atomic_int seen;
  struct pinger g;
  pthread_t t;
  sigset_t pair, saved;
  int rc = 0, pauses = 0;
  atomic_init(&seen, 0);
  memset(&g, 0, sizeof g);
  atomic_init(&g.stop, 0);
  g.target = pthread_self();
  g.to_self = _i;
  /* Merged under the relaxed configurations: one at a time there. */
  g.group_max = sp_test_relaxed_counts() ? 1 : 4;
  g.seen = &seen;
  SP_ASSERT_OK(sigport_signal(SIGRTMIN + 3, ping_handler, &seen, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN + 4, ping_handler, &seen, NULL));
  ping_pair(&pair);
  ck_assert_int_eq(
      pthread_sigmask(SIG_BLOCK, g.to_self ? &pair : NULL, &saved), 0);
  watchdog_start(20);
  ck_assert_int_eq(pthread_create(&t, NULL, ping_thread, &g), 0);
  while (rc == 0 && atomic_load(&seen) < PINGS && watchdog.calls == 0) {
    rc = sigport_pause();
    pauses++;
  }
  atomic_store(&g.stop, 1);
  watchdog_stop();
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &saved, NULL), 0);
  ck_assert_int_eq(rc, 0);
  ck_assert_msg(watchdog.calls == 0,
                "a signal was lost in sigport_pause(): woken by the watchdog "
                "after %d of %d",
                atomic_load(&seen), PINGS);
  ck_assert_int_eq(g.mask_rc, 0);
  ck_assert_int_eq(g.errors, 0);
  ck_assert_int_eq(g.stuck, 0);
  ck_assert_int_eq(atomic_load(&seen), PINGS);
  /* A pause may return once for a delivery that a dispatch already took,
     never more often. */
  ck_assert_int_le(pauses, 2 * PINGS);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Handlers that call back into sigport                                */
/* ------------------------------------------------------------------ */

/* The order in which things happened. */
static int events[64];
static int nevents;
static void note(int what) {
  if (nevents < 64) events[nevents++] = what;
}

#define ENTER(s) (100 + (s))
#define LEAVE(s) (200 + (s))

/* A signal numbered above SIGUSR1 and SIGUSR2, for the tests of order
   below: a real-time one where there are some, since SIGUSR1 and SIGUSR2
   are above SIGTERM (15) on MIPS (16, 17), hppa and alpha and sparc (30,
   31). */
#if SIGPORT_HAVE_RTSIG
#define SIG_HIGH (SIGRTMIN + 2)
#else
#define SIG_HIGH SIGTERM
#endif

static int noting_handler(int signum, const sigport_siginfo_t *info,
                          void *arg) {
  struct sp_counter *c = arg;
  note(signum);
  c->calls++;
  c->total += info->count;
  c->last = *info;
  return c->result;
}

/* What the re-entrant SIGUSR1 handler saw from inside. */
static struct reentry {
  struct sp_counter usr2, high, hup;
  int signal_rc, raise_rc, dispatch_rc;
  int usr2_after_raise, high_after_raise, usr2_after_dispatch;
  int calls, depth, self_calls_after_raise;
} re;

/* SIGUSR1: installs a handler for SIGUSR2, raises SIGUSR2 and dispatches,
   all from inside dispatch. */
static int reentrant_handler(int signum, const sigport_siginfo_t *info,
                             void *arg) {
  (void)info;
  (void)arg;
  note(ENTER(signum));
  re.signal_rc = sigport_signal(SIGUSR2, noting_handler, &re.usr2, NULL);
  re.raise_rc = sigport_raise(SIGUSR2);
  re.usr2_after_raise = re.usr2.calls;
  re.high_after_raise = re.high.calls;
  re.dispatch_rc = sigport_dispatch();
  re.usr2_after_dispatch = re.usr2.calls;
  note(LEAVE(signum));
  return 0;
}

START_TEST(test_handler_signal_raise_dispatch) {
  memset(&re, 0, sizeof re);
  nevents = 0;
  SP_ASSERT_OK(sigport_signal(SIGHUP, noting_handler, &re.hup, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, reentrant_handler, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIG_HIGH, noting_handler, &re.high, NULL));
  raw_kill(SIG_HIGH);
  raw_kill(SIGUSR1);
  raw_kill(SIGHUP);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(re.signal_rc, 0);
  ck_assert_int_eq(re.raise_rc, 0);
  ck_assert_int_eq(re.dispatch_rc, 0);
  /* The raise dispatched SIGUSR2 once, at once; the nested dispatch also
     took SIG_HIGH, which was still pending; the handler's own dispatch then
     found nothing. */
  ck_assert_int_eq(re.usr2_after_raise, 1);
  ck_assert_int_eq(re.high_after_raise, 1);
  ck_assert_int_eq(re.usr2_after_dispatch, 1);
  ck_assert_uint_eq(re.usr2.last.count, 1);
  ck_assert_int_eq(re.usr2.last.signo, SIGUSR2);
  /* SIGHUP first (lowest), then SIGUSR1, inside it SIGUSR2 and SIG_HIGH;
     the outer dispatch did not run SIG_HIGH again. */
  ck_assert_int_eq(nevents, 5);
  ck_assert_int_eq(events[0], SIGHUP);
  ck_assert_int_eq(events[1], ENTER(SIGUSR1));
  ck_assert_int_eq(events[2], SIGUSR2);
  ck_assert_int_eq(events[3], SIG_HIGH);
  ck_assert_int_eq(events[4], LEAVE(SIGUSR1));
  ck_assert_int_eq(re.hup.calls, 1);
  ck_assert_int_eq(re.high.calls, 1);
  ck_assert_int_eq(re.usr2.calls, 1);
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(nevents, 5);
}
END_TEST

/* SIGUSR1 raises itself once from inside its handler. */
static int self_raising_handler(int signum, const sigport_siginfo_t *info,
                                void *arg) {
  (void)arg;
  ck_assert_uint_eq(info->count, 1);
  re.calls++;
  if (re.depth == 0) {
    re.depth = 1;
    re.raise_rc = sigport_raise(signum);
    re.self_calls_after_raise = re.calls;
    re.depth = 0;
  }
  return 0;
}

START_TEST(test_handler_raises_its_own_signal) {
  memset(&re, 0, sizeof re);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, self_raising_handler, NULL, NULL));
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(re.raise_rc, 0);
  /* The raised delivery ran once, inside the raise, and not again. */
  ck_assert_int_eq(re.self_calls_after_raise, 2);
  ck_assert_int_eq(re.calls, 2);
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(re.calls, 2);
  /* From outside a handler, a raise runs the handler once, before it
     returns; the handler's own raise runs it once more. */
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(re.calls, 4);
}
END_TEST

/* SIGUSR1 raises SIGUSR2, whose handler returns non-zero: the raise
   returns that value, and SIGUSR1's handler passes it on. */
static int passing_on_handler(int signum, const sigport_siginfo_t *info,
                              void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  re.calls++;
  re.raise_rc = sigport_raise(SIGUSR2);
  return re.raise_rc;
}

START_TEST(test_nested_result_passes_out) {
  memset(&re, 0, sizeof re);
  nevents = 0;
  re.usr2.result = SIGPORT_EUSER - 3;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, passing_on_handler, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, noting_handler, &re.usr2, NULL));
  SP_ASSERT_OK(sigport_signal(SIG_HIGH, noting_handler, &re.high, NULL));
  raw_kill(SIG_HIGH);
  raw_kill(SIGUSR1);
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER - 3);
  ck_assert_int_eq(re.calls, 1);
  ck_assert_int_eq(re.raise_rc, SIGPORT_EUSER - 3);
  ck_assert_int_eq(re.usr2.calls, 1);
  /* The nested dispatch stopped at SIGUSR2, the outer one at SIGUSR1's
     result: SIG_HIGH is still pending, for the next dispatch. */
  ck_assert_int_eq(re.high.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(re.high.calls, 1);
  ck_assert_uint_eq(re.high.total, 1);
  ck_assert_int_eq(re.usr2.calls, 1);
  ck_assert_int_eq(re.calls, 1);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

Suite *sp_suite_stress(void) {
  Suite *s = suite_create("stress");
  TCase *tc = tcase_create("load");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_no_loss_queued);
  tcase_add_test(tc, test_no_loss_queued_pause);
  tcase_add_test(tc, test_full_wakeup_buffer_no_warn);
  tcase_add_test(tc, test_full_wakeup_buffer_warns);
  sp_tcase_add_thread_test(tc, test_storm_from_two_threads);
  sp_tcase_add_thread_loop_test(tc, test_pause_never_misses_a_signal, 0, 2);
  suite_add_tcase(s, tc);

  tc = tcase_create("reentrancy");
  tcase_set_timeout(tc, 20);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_handler_signal_raise_dispatch);
  tcase_add_test(tc, test_handler_raises_its_own_signal);
  tcase_add_test(tc, test_nested_result_passes_out);
  suite_add_tcase(s, tc);
  return s;
}
