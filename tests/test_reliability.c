/*
 * test_reliability.c: fork() and sigport_shutdown() while signals keep
 * arriving from other threads and from another process.
 *
 * POSIX only (Linux: real-time signals, rt_tgsigqueueinfo). A fork()
 * child reports by its exit status, one code per check, and never calls
 * Check. Exact delivery counts are asserted except where
 * sp_test_relaxed_counts() says that the configuration merges or defers
 * signals (ThreadSanitizer, valgrind).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* glibc adds SA_RESTORER to the flags that sigaction() reports. */
#if defined(SA_RESTORER)
#define FLAGS_IGNORED SA_RESTORER
#elif defined(__linux__)
#define FLAGS_IGNORED 0x04000000
#else
#define FLAGS_IGNORED 0
#endif

static void nap_us(long us) {
  struct timespec ts;
  ts.tv_sec = us / 1000000;
  ts.tv_nsec = (us % 1000000) * 1000;
  nanosleep(&ts, NULL);
}

static pid_t thread_id(void) { return (pid_t)syscall(SYS_gettid); }

/* Monotonic microseconds, in integers: this suite's clocks are read while
   signals flood in, and under qemu-i386 7.2 a signal delivered in the
   middle of x87 arithmetic corrupts it (a plain C program shows it:
   clock_gettime() right, the double made from it now and then 1.8e308
   or out of order; not with SSE arithmetic, not under other emulators).
   A deadline read as 1.8e308 once failed a test with "no progress". */
static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A heartbeat of the receiving thread, in monotonic milliseconds (the
   clock is the same in every process). A sender of queued signals pauses
   while it is older than 50 ms, so that a receiver that stopped taking
   them does not fill the user's RLIMIT_SIGPENDING, which every process of
   the user shares (Check's own timer_create() needs it). */
static void beat(atomic_long *b) { atomic_store(b, (long)(now_us() / 1000)); }

static int receiver_stalled(atomic_long *b) {
  return (long)(now_us() / 1000) - atomic_load(b) > 50;
}

/* Queues signum with `value` to one thread of this process, as
   pthread_sigqueue() does: only that thread can take it. */
static int queue_to_thread(pid_t tid, int signum, int value) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = signum;
  si.si_code = SI_QUEUE;
  si.si_pid = getpid();
  si.si_uid = getuid();
  si.si_value.sival_int = value;
  return (int)syscall(SYS_rt_tgsigqueueinfo, (long)getpid(), (long)tid,
                      (long)signum, &si);
}

/* The first signal in which two masks differ, or 0. */
static int mask_difference(const sigset_t *a, const sigset_t *b) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (sigismember(a, s) != sigismember(b, s)) return s;
  return 0;
}

static int same_mask(const sigset_t *a, const sigset_t *b) {
  return mask_difference(a, b) == 0;
}

/* Same handler and flags, and the same mask where a handler runs with it
   (ThreadSanitizer reports another mask for SIG_DFL once it was set). */
static int same_action(const struct sigaction *a, const struct sigaction *b) {
  int runs = (a->sa_flags & SA_SIGINFO) ||
             (a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN);
  return a->sa_handler == b->sa_handler && a->sa_sigaction == b->sa_sigaction &&
         (a->sa_flags & ~FLAGS_IGNORED) == (b->sa_flags & ~FLAGS_IGNORED) &&
         (!runs || same_mask(&a->sa_mask, &b->sa_mask));
}

/* Every signal's disposition, as the system reports it. */
struct dispositions {
  int ok[SIGPORT_NSIG];
  struct sigaction sa[SIGPORT_NSIG];
};

static void read_dispositions(struct dispositions *d) {
  int s;
  memset(d, 0, sizeof *d);
  for (s = 1; s < SIGPORT_NSIG; s++)
    d->ok[s] = sigaction(s, NULL, &d->sa[s]) == 0;
}

/* What differs in one signal's disposition, for a failure message. */
static char changed_how[256];

static void describe(const struct sigaction *was, const struct sigaction *now) {
  snprintf(changed_how, sizeof changed_how,
           "handler %p -> %p, flags 0x%x -> 0x%x, first signal whose sa_mask "
           "bit differs: %d",
           (void *)(uintptr_t)was->sa_handler,
           (void *)(uintptr_t)now->sa_handler, (unsigned)was->sa_flags,
           (unsigned)now->sa_flags,
           mask_difference(&was->sa_mask, &now->sa_mask));
}

/* The first signal whose disposition is not what `before` says, or 0;
   changed_how says what changed. */
static int changed_disposition(const struct dispositions *before) {
  static struct dispositions now;
  int s;
  read_dispositions(&now);
  changed_how[0] = '\0';
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (now.ok[s] != before->ok[s]) {
      snprintf(changed_how, sizeof changed_how, "sigaction() %s",
               now.ok[s] ? "works now" : "fails now");
      return s;
    }
    if (now.ok[s] && !same_action(&now.sa[s], &before->sa[s])) {
      describe(&before->sa[s], &now.sa[s]);
      return s;
    }
  }
  return 0;
}

/* The calling thread's mask must be `before`. ThreadSanitizer's own
   signal delivery can leave a handler's sa_mask blocked after a storm (see
   test_stress.c), so the relaxed configurations put it back instead. */
static void assert_mask(const sigset_t *before, const char *when, int cycle) {
  sigset_t now;
  int s;
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &now), 0);
  s = mask_difference(&now, before);
  if (s == 0) return;
  if (sp_test_relaxed_counts()) {
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, before, NULL), 0);
    return;
  }
  ck_abort_msg("%s %d: signal %d is %s in the mask", when, cycle, s,
               sigismember(&now, s) == 1 ? "blocked" : "unblocked");
}

/* ------------------------------------------------------------------ */
/* fork() during a storm                                               */
/* ------------------------------------------------------------------ */

#define FORKS 150
#define FORKS_RELAXED 50
#define CHILD_VALUE 0x5150

/* The checks a forked child makes, each with its own exit status. */
enum child_check {
  CHILD_OK = 0,
  CHILD_PENDING = 10,
  CHILD_HANDLER,
  CHILD_MASK,
  CHILD_WAKEUP_FD,
  CHILD_NOT_MAIN,
  CHILD_STALE,
  CHILD_SEND,
  CHILD_KILL_SELF,
  CHILD_QUEUE_SELF,
  CHILD_END
};

static const char *const child_check_names[] = {
    "nothing pending in sigport at the start",
    "handlers still installed (raw sigaction as in the parent)",
    "the mask of the forking thread before fork()",
    "no wakeup fd",
    "the forking thread is the main thread (sigport_signal works)",
    "no delivery of the parent dispatched",
    "kill() and sigqueue() to itself",
    "a SIGUSR2 from kill() to itself dispatched exactly once",
    "a SIGRTMIN queued to itself dispatched exactly once, with its value",
};

static const char *child_check_name(int code) {
  if (code >= CHILD_PENDING && code < CHILD_END)
    return child_check_names[code - CHILD_PENDING];
  return "unknown exit status";
}

/* The parent's handlers; a child works on its own copies. */
static struct sp_counter f_usr1, f_usr2, f_rt;

static int fork_signal(int i) {
  return i == 0 ? SIGUSR1 : i == 1 ? SIGUSR2 : SIGRTMIN;
}

/* What the forking thread saw just before fork(). */
struct fork_expect {
  struct sigaction act[3]; /* fork_signal(0..2) */
  sigset_t mask;
  sigset_t intended; /* the mask the forking thread set */
  int relaxed;       /* sp_test_relaxed_counts() */
};

/* Dispatches until c->calls passes calls_before, for up to 5 s, then once
   more after a short nap, so that a second call would be seen. 0 when the
   handler ran exactly once, for one delivery. Runs in a fork() child. */
static int child_dispatched_once(const struct sp_counter *c, int calls_before,
                                 unsigned long total_before) {
  long long deadline = now_us() + 5000000;
  while (c->calls == calls_before && now_us() < deadline) {
    if (sigport_dispatch() != 0) return -1;
    if (c->calls == calls_before) nap_us(200);
  }
  nap_us(2000);
  if (sigport_dispatch() != 0) return -1;
  return c->calls == calls_before + 1 && c->total == total_before + 1 ? 0 : -1;
}

/* The child's side: each check in turn; never returns. */
static void forked_child(const struct fork_expect *e) {
  struct sigaction now;
  sigset_t mask;
  union sigval v;
  unsigned long total;
  int i, calls;
  if (e->relaxed) {
    /* ThreadSanitizer holds back deliveries and can carry one across
       fork() into the child, where it runs at the next intercepted call:
       let them run and dispatch them, unchecked. */
    nap_us(1000);
    (void)sigport_dispatch();
  } else if (sigport_pending() != 0) {
    _exit(CHILD_PENDING);
  }
  for (i = 0; i < 3; i++) {
    if (sigaction(fork_signal(i), NULL, &now) != 0 ||
        !(now.sa_flags & SA_SIGINFO) || !same_action(&now, &e->act[i]))
      _exit(CHILD_HANDLER);
  }
  if (pthread_sigmask(SIG_BLOCK, NULL, &mask) != 0) _exit(CHILD_MASK);
  if (e->relaxed) {
    /* ThreadSanitizer can leave a handler's sa_mask blocked, before or
       across the fork (see test_stress.c): put back, not asserted. */
    if (pthread_sigmask(SIG_SETMASK, &e->intended, NULL) != 0)
      _exit(CHILD_MASK);
  } else if (!same_mask(&mask, &e->mask)) {
    _exit(CHILD_MASK);
  }
  if (sigport_get_wakeup_fd() != SIGPORT_NO_SOCKET) _exit(CHILD_WAKEUP_FD);
  if (sigport_signal(SIGUSR2, sp_count_handler, &f_usr2, NULL) != 0)
    _exit(CHILD_NOT_MAIN);
  calls = f_usr1.calls + f_usr2.calls + f_rt.calls;
  if (sigport_dispatch() != 0 ||
      (!e->relaxed && f_usr1.calls + f_usr2.calls + f_rt.calls != calls))
    _exit(CHILD_STALE);

  calls = f_usr2.calls;
  total = f_usr2.total;
  if (kill(getpid(), SIGUSR2) != 0) _exit(CHILD_SEND);
  if (child_dispatched_once(&f_usr2, calls, total) != 0) _exit(CHILD_KILL_SELF);

  calls = f_rt.calls;
  total = f_rt.total;
  memset(&v, 0, sizeof v);
  v.sival_int = CHILD_VALUE;
  if (sigqueue(getpid(), SIGRTMIN, v) != 0) _exit(CHILD_SEND);
  if (child_dispatched_once(&f_rt, calls, total) != 0 ||
      f_rt.last.value_int != CHILD_VALUE || f_rt.last.code != SI_QUEUE)
    _exit(CHILD_QUEUE_SELF);
  _exit(CHILD_OK);
}

/* One fork(), made by whichever thread calls it. */
struct fork_job {
  const sigset_t *base; /* the test's mask, to which the variant adds */
  int variant;          /* which extra signals the forking thread blocks */
  pid_t pid;
  int fork_errno;
  int pending_before; /* sigport_pending() just before fork() */
};

static void fork_one(struct fork_job *j) {
  struct fork_expect e;
  sigset_t extra, saved;
  long long deadline;
  int i;
  /* A mask of its own for each fork: the test's, and signals nobody
     sends. Set whole, since ThreadSanitizer can leave a handler's sa_mask
     blocked after a storm (see test_stress.c). */
  extra = *j->base;
  if (j->variant & 1) sigaddset(&extra, SIGWINCH);
  if (j->variant & 2) sigaddset(&extra, SIGRTMIN + 5);
  pthread_sigmask(SIG_SETMASK, &extra, &saved);
  /* A delivery recorded and not dispatched: the child must not see it. */
  pthread_kill(pthread_self(), SIGUSR2);
  deadline = now_us() + 2000000;
  while (!sigport_pending() && now_us() < deadline) nap_us(100);
  j->pending_before = sigport_pending();
  for (i = 0; i < 3; i++) sigaction(fork_signal(i), NULL, &e.act[i]);
  pthread_sigmask(SIG_BLOCK, NULL, &e.mask);
  e.intended = extra;
  e.relaxed = sp_test_relaxed_counts();
  j->pid = fork();
  if (j->pid == 0) forked_child(&e);
  j->fork_errno = j->pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

static void *fork_thread(void *p) {
  fork_one(p);
  return NULL;
}

/* The senders of the storm. */
struct storm {
  atomic_long beat;     /* the main thread's heartbeat */
  atomic_int stop;      /* the main thread ends the storm */
  atomic_int usr1_done; /* the SIGUSR1 sender has stopped */
  atomic_int go_final;  /* the main thread waits for the last SIGUSR1 */
  long usr1_sent, rt_sent, rt_eagain;
  int block_rc, usr1_errno, rt_errno, final_rc;
};

/* kill(SIGUSR1) to the process, in bursts; this thread takes none. */
static void *usr1_sender(void *p) {
  struct storm *s = p;
  long long deadline;
  s->block_rc = sigport_thread_block(NULL);
  while (!atomic_load(&s->stop)) {
    if (kill(getpid(), SIGUSR1) != 0) {
      s->usr1_errno = errno;
      break;
    }
    if (++s->usr1_sent % 8 == 0) nap_us(100);
  }
  atomic_store(&s->usr1_done, 1);
  deadline = now_us() + 30000000;
  while (!atomic_load(&s->go_final) && now_us() < deadline) nap_us(200);
  s->final_rc = kill(getpid(), SIGUSR1) == 0 ? 0 : errno;
  if (s->final_rc == 0) s->usr1_sent++;
  return NULL;
}

/* sigqueue(SIGRTMIN) to the process, retried while the queue is full.
   This thread blocks nothing, so some deliveries trip here, now and then
   while another thread forks. */
static void *rt_sender(void *p) {
  struct storm *s = p;
  union sigval v;
  memset(&v, 0, sizeof v);
  while (!atomic_load(&s->stop)) {
    if (receiver_stalled(&s->beat)) {
      nap_us(1000);
      continue;
    }
    v.sival_int = (int)s->rt_sent;
    if (sigqueue(getpid(), SIGRTMIN, v) != 0) {
      if (errno != EAGAIN) {
        s->rt_errno = errno;
        break;
      }
      s->rt_eagain++;
      nap_us(200);
      continue;
    }
    if (++s->rt_sent % 16 == 0) nap_us(50);
  }
  return NULL;
}

/* Dispatches and naps until done() or the deadline. */
static int dispatch_until(atomic_long *b, int (*done)(const void *),
                          const void *arg, long long ms) {
  long long deadline = now_us() + ms * 1000;
  int rc;
  while (!done(arg)) {
    beat(b);
    rc = sigport_dispatch();
    if (rc != 0) return rc;
    if (now_us() > deadline) return 0;
    nap_us(500);
  }
  return 0;
}

static int flag_set(const void *p) { return atomic_load((atomic_int *)p); }

static int rt_all_dispatched(const void *p) {
  const struct storm *s = p;
  return f_rt.total >= (unsigned long)s->rt_sent;
}

static int usr1_calls_above(const void *p) {
  return f_usr1.calls > *(const int *)p;
}

START_TEST(test_fork_during_storm) {
  struct storm st;
  pthread_t tu, tr;
  sigport_socket_t pair[2];
  sigset_t mask;
  int i, k, rc = 0, nforks, status = 0, done_forks = 0;
  int failed_at = -1, failed_helper = 0, failed_status = 0, timed_out = 0;
  int no_pending_at = -1, fork_errno = 0, usr1_before_final;
  long long deadline;

  nforks = sp_test_relaxed_counts() ? FORKS_RELAXED : FORKS;
  memset(&f_usr1, 0, sizeof f_usr1);
  memset(&f_usr2, 0, sizeof f_usr2);
  memset(&f_rt, 0, sizeof f_rt);
  memset(&st, 0, sizeof st);
  atomic_init(&st.stop, 0);
  atomic_init(&st.usr1_done, 0);
  atomic_init(&st.go_final, 0);
  beat(&st.beat);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &f_usr1, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &f_usr2, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN, sp_count_handler, &f_rt, NULL));
  /* A wakeup fd the children must not inherit; it fills up, silently. */
  SP_ASSERT_OK(sigport_socketpair(pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(pair[1], SIGPORT_WAKEUP_NO_WARN, NULL));
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
  ck_assert_int_eq(pthread_create(&tu, NULL, usr1_sender, &st), 0);
  ck_assert_int_eq(pthread_create(&tr, NULL, rt_sender, &st), 0);

  for (i = 0; i < nforks && rc == 0; i++) {
    struct fork_job j;
    int from_helper = i % 3 == 2;
    memset(&j, 0, sizeof j);
    j.base = &mask;
    j.variant = i % 4;
    for (k = 0; k <= i % 4 && rc == 0; k++) {
      beat(&st.beat);
      rc = sigport_dispatch();
      nap_us(100);
    }
    if (rc != 0) break;
    if (from_helper) {
      pthread_t t;
      ck_assert_int_eq(pthread_create(&t, NULL, fork_thread, &j), 0);
      ck_assert_int_eq(pthread_join(t, NULL), 0);
    } else {
      fork_one(&j);
    }
    if (j.pid < 0) {
      fork_errno = j.fork_errno;
      break;
    }
    if (!j.pending_before && no_pending_at < 0) no_pending_at = i;
    /* Reaped while this thread goes on dispatching. */
    deadline = now_us() + 20000000;
    for (;;) {
      pid_t r = waitpid(j.pid, &status, WNOHANG);
      beat(&st.beat);
      if (r == j.pid) break;
      if (now_us() > deadline) {
        kill(j.pid, SIGKILL);
        while (waitpid(j.pid, &status, 0) < 0 && errno == EINTR) {
        }
        timed_out = 1;
        break;
      }
      rc = sigport_dispatch();
      if (rc != 0) break;
      nap_us(200);
    }
    done_forks++;
    if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      failed_at = i;
      failed_helper = from_helper;
      failed_status = status;
      break;
    }
  }

  /* The end of the storm: every queued signal dispatched, then one last
     SIGUSR1 sent alone. */
  atomic_store(&st.stop, 1);
  if (rc == 0) rc = dispatch_until(&st.beat, flag_set, &st.usr1_done, 30000);
  ck_assert_int_eq(pthread_join(tr, NULL), 0);
  /* Queued signals merge in the relaxed configurations: a short wait. */
  if (rc == 0)
    rc = dispatch_until(&st.beat, rt_all_dispatched, &st,
                        sp_test_relaxed_counts() ? 100.0 : 30000.0);
  if (rc == 0) {
    nap_us(20000);
    rc = sigport_dispatch();
  }
  assert_mask(&mask, "after fork", done_forks);
  usr1_before_final = f_usr1.calls;
  atomic_store(&st.go_final, 1);
  if (rc == 0)
    rc =
        dispatch_until(&st.beat, usr1_calls_above, &usr1_before_final, 20000);
  ck_assert_int_eq(pthread_join(tu, NULL), 0);
  if (rc == 0) rc = sigport_dispatch();
  SP_ASSERT_OK(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL));
  close(pair[0]);
  close(pair[1]);

  ck_assert_msg(rc == 0, "sigport_dispatch: %d (%s)", rc, sigport_last_error());
  ck_assert_msg(fork_errno == 0, "fork %d: %s", done_forks,
                strerror(fork_errno));
  if (failed_at >= 0) {
    if (timed_out)
      ck_abort_msg(
          "fork %d of %d (from %s thread): the child did not end "
          "within 20 s",
          failed_at, nforks, failed_helper ? "another" : "the main");
    if (WIFSIGNALED(failed_status))
      ck_abort_msg(
          "fork %d of %d (from %s thread): the child was killed by "
          "signal %d",
          failed_at, nforks, failed_helper ? "another" : "the main",
          WTERMSIG(failed_status));
    ck_abort_msg(
        "fork %d of %d (from %s thread): the child failed the check "
        "'%s' (exit status %d)",
        failed_at, nforks, failed_helper ? "another" : "the main",
        child_check_name(WEXITSTATUS(failed_status)),
        WEXITSTATUS(failed_status));
  }
  ck_assert_int_eq(done_forks, nforks);
  ck_assert_msg(no_pending_at < 0,
                "fork %d: no delivery was pending in the parent before fork()",
                no_pending_at);

  ck_assert_int_eq(st.block_rc, 0);
  ck_assert_msg(st.rt_errno == 0, "sigqueue: %s", strerror(st.rt_errno));
  ck_assert_msg(st.usr1_errno == 0, "kill: %s", strerror(st.usr1_errno));
  ck_assert_int_eq(st.final_rc, 0);
  ck_assert_int_gt(st.rt_sent, 0);
  if (sp_test_relaxed_counts()) {
    ck_assert_msg(f_rt.total >= 1 && f_rt.total <= (unsigned long)st.rt_sent,
                  "SIGRTMIN: %lu dispatched of %ld sent", f_rt.total,
                  st.rt_sent);
    ck_assert_msg(f_usr2.total >= 1 && f_usr2.total <= (unsigned long)nforks,
                  "SIGUSR2: %lu dispatched of %d raised", f_usr2.total, nforks);
  } else {
    ck_assert_msg(f_rt.total == (unsigned long)st.rt_sent,
                  "SIGRTMIN: %lu dispatched of %ld sent (%ld EAGAIN)",
                  f_rt.total, st.rt_sent, st.rt_eagain);
    /* One raised before each fork, each dispatched in the parent only. */
    ck_assert_msg(f_usr2.total == (unsigned long)nforks,
                  "SIGUSR2: %lu dispatched of %d raised", f_usr2.total, nforks);
  }
  /* Standard signals merge: at least one, never more than sent; and the
     one sent after the storm was dispatched. */
  ck_assert_msg(f_usr1.calls > usr1_before_final,
                "the last SIGUSR1 was not dispatched (%lu of %ld)",
                f_usr1.total, st.usr1_sent);
  ck_assert_msg(
      f_usr1.total >= 1 && f_usr1.total <= (unsigned long)st.usr1_sent,
      "SIGUSR1: %lu dispatched of %ld sent", f_usr1.total, st.usr1_sent);
  ck_assert_int_eq(sigport_pending(), 0);
  /* Nothing may come under the default action after the shutdown. */
  for (i = 0; i < 3; i++)
    SP_ASSERT_OK(sigport_signal(fork_signal(i), SIGPORT_SIG_IGN, NULL, NULL));
  nap_us(50000);
  sigport_shutdown();
}
END_TEST

/* ------------------------------------------------------------------ */
/* sigport_shutdown() while signals arrive                             */
/* ------------------------------------------------------------------ */

/*
 * A sender queues SIGRTMIN carrying 0, 1, 2 ... and now and then sends
 * SIGUSR1, while the main thread goes through cycles of sigport_init(),
 * sigport_signal(), dispatch and sigport_shutdown(). Before the first
 * cycle a plain counting sigaction() handler is installed: the disposition
 * that each shutdown puts back, and that takes whatever arrives between
 * cycles.
 *
 * Every queued signal is delivered in order to one thread, so the values
 * that the raw handler sees tell which values tripped in which cycle: in
 * cycle k, the values between the last raw one before the trip was
 * installed and the first raw one after. Those the sigport handler did
 * not get were left at shutdown, and SPEC §2 has shutdown raise the signal
 * once for them, under the restored disposition, however many they were.
 * A trip that starts on another thread only after shutdown gave the
 * disposition back (the kernel chose it before) records nothing and raises
 * the signal again on its own thread, so the restored disposition takes
 * that delivery too.
 */

#define CYCLES 400
#define CYCLES_RELAXED 100
#define RAW_MAX (1 << 20)

enum { PH_BETWEEN, PH_INSTALLED, PH_SHUTDOWN };

struct cycle {
  long raw_index;         /* raw SIGRTMIN values seen before the trip */
  unsigned long sp_total; /* SIGRTMIN deliveries the sigport handler got */
  int marks;              /* SIGRTMIN queued by this thread to itself */
  int raised_usr1;        /* SIGUSR1 raised by this thread before shutdown */
  /* SI_TKILL to the raw handler during shutdown: on the main thread, from
     shutdown; on another thread, from a trip that started too late. */
  atomic_int reraised_rt, reraised_usr1, late_rt, late_usr1;
};

static struct cycle *cycles;
static int *raw_vals; /* the values the raw handler saw, in order */
static atomic_long raw_count;
static atomic_int raw_disorder, raw_marks, raw_inside, raw_stray;
static atomic_long raw_usr1;
static atomic_int cur, phase, main_tid;
static unsigned long sp_usr1;
static int sp_outside;

/* The disposition before sigport_init(). Async-signal-safe. */
static void raw_handler(int signum, siginfo_t *si, void *context) {
  int saved_errno = errno;
  struct cycle *c = &cycles[atomic_load(&cur)];
  int ph = atomic_load(&phase);
  (void)context;
  if (signum == SIGRTMIN && si->si_code == SI_QUEUE &&
      si->si_value.sival_int >= 0) {
    long n = atomic_load(&raw_count);
    int v = si->si_value.sival_int;
    if (n > 0 && n <= RAW_MAX && v <= raw_vals[n - 1])
      atomic_fetch_add(&raw_disorder, 1);
    if (n < RAW_MAX) raw_vals[n] = v;
    atomic_store(&raw_count, n + 1);
    if (ph == PH_INSTALLED) atomic_fetch_add(&raw_inside, 1);
  } else if (signum == SIGRTMIN && si->si_code == SI_QUEUE) {
    /* A mark: it was queued while the trip was installed. */
    atomic_fetch_add(&raw_marks, 1);
  } else if (si->si_code == SI_TKILL && ph == PH_SHUTDOWN &&
             (signum == SIGRTMIN || signum == SIGUSR1)) {
    int on_main = thread_id() == atomic_load(&main_tid);
    if (signum == SIGRTMIN)
      atomic_fetch_add(on_main ? &c->reraised_rt : &c->late_rt, 1);
    else
      atomic_fetch_add(on_main ? &c->reraised_usr1 : &c->late_usr1, 1);
  } else if (signum == SIGUSR1 && si->si_code == SI_USER) {
    atomic_fetch_add(&raw_usr1, 1);
  } else {
    atomic_fetch_add(&raw_stray, 1);
  }
  errno = saved_errno;
}

static int cycle_rt_handler(int signum, const sigport_siginfo_t *info,
                            void *arg) {
  (void)signum;
  (void)arg;
  if (atomic_load(&phase) != PH_INSTALLED) sp_outside++;
  cycles[atomic_load(&cur)].sp_total += info->count;
  return 0;
}

static int cycle_usr1_handler(int signum, const sigport_siginfo_t *info,
                              void *arg) {
  (void)signum;
  (void)arg;
  if (atomic_load(&phase) != PH_INSTALLED) sp_outside++;
  sp_usr1 += info->count;
  return 0;
}

/* The sender's side, in memory shared with a sending child process. */
struct sender_shared {
  atomic_long beat; /* the main thread's heartbeat */
  atomic_int stop;
  atomic_long sent; /* values 0 .. sent-1 were queued */
  atomic_long usr1_sent;
  atomic_int error;
  atomic_long full;   /* sends refused with EAGAIN: the queue was full */
  atomic_long paused; /* naps the sender took while the beat was old */
};

static struct sender_shared *shared_new(void) {
  struct sender_shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(sh, MAP_FAILED);
  beat(&sh->beat);
  atomic_init(&sh->stop, 0);
  atomic_init(&sh->sent, 0);
  atomic_init(&sh->usr1_sent, 0);
  atomic_init(&sh->error, 0);
  atomic_init(&sh->full, 0);
  atomic_init(&sh->paused, 0);
  return sh;
}

/* Sends until told to stop: SIGRTMIN with the next value to `tid` of
   `pid` (tid 0: to the process, with sigqueue()), retrying while the
   queue is full, and a SIGUSR1 to the process every 64. A child sender
   (tid 0) also stops when its parent, `pid`, is gone. */
static void send_until_stopped(struct sender_shared *sh, pid_t pid, pid_t tid) {
  while (!atomic_load(&sh->stop)) {
    long v = atomic_load(&sh->sent);
    int rc;
    if (receiver_stalled(&sh->beat)) {
      if (tid == 0 && getppid() != pid) return;
      atomic_fetch_add(&sh->paused, 1);
      nap_us(1000);
      continue;
    }
    if (tid != 0) {
      rc = queue_to_thread(tid, SIGRTMIN, (int)v);
    } else {
      union sigval sv;
      memset(&sv, 0, sizeof sv);
      sv.sival_int = (int)v;
      rc = sigqueue(pid, SIGRTMIN, sv);
    }
    if (rc != 0) {
      if (errno != EAGAIN) {
        atomic_store(&sh->error, errno);
        return;
      }
      atomic_fetch_add(&sh->full, 1);
      nap_us(200);
      continue;
    }
    atomic_store(&sh->sent, v + 1);
    if (v % 64 == 63) {
      if (kill(pid, SIGUSR1) != 0) {
        atomic_store(&sh->error, errno);
        return;
      }
      atomic_fetch_add(&sh->usr1_sent, 1);
    }
    if (v % 16 == 15) nap_us(50);
  }
}

/* The thread sender queues to itself, so every SIGRTMIN trips on this
   thread, concurrently with the main thread's dispatch and shutdown. */
static void *self_sender(void *p) {
  struct sender_shared *sh = p;
  send_until_stopped(sh, getpid(), thread_id());
  return NULL;
}

static void install_raw(struct sigaction *old_rt, struct sigaction *old_usr1) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = raw_handler;
  sa.sa_flags = SA_SIGINFO;
  sigfillset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(SIGRTMIN, &sa, old_rt), 0);
  ck_assert_int_eq(sigaction(SIGUSR1, &sa, old_usr1), 0);
}

static void uninstall_raw(const struct sigaction *old_rt,
                          const struct sigaction *old_usr1) {
  ck_assert_int_eq(sigaction(SIGRTMIN, old_rt, NULL), 0);
  ck_assert_int_eq(sigaction(SIGUSR1, old_usr1, NULL), 0);
}

static void cycles_reset(int n) {
  int k;
  cycles = calloc((size_t)n, sizeof *cycles);
  raw_vals = calloc(RAW_MAX, sizeof *raw_vals);
  ck_assert_ptr_nonnull(cycles);
  ck_assert_ptr_nonnull(raw_vals);
  for (k = 0; k < n; k++) {
    atomic_init(&cycles[k].reraised_rt, 0);
    atomic_init(&cycles[k].reraised_usr1, 0);
    atomic_init(&cycles[k].late_rt, 0);
    atomic_init(&cycles[k].late_usr1, 0);
  }
  atomic_store(&main_tid, (int)thread_id());
  atomic_store(&raw_count, 0);
  atomic_store(&raw_disorder, 0);
  atomic_store(&raw_marks, 0);
  atomic_store(&raw_inside, 0);
  atomic_store(&raw_stray, 0);
  atomic_store(&raw_usr1, 0);
  atomic_store(&cur, 0);
  atomic_store(&phase, PH_BETWEEN);
  sp_usr1 = 0;
  sp_outside = 0;
}

static void cycles_free(void) {
  free(cycles);
  free(raw_vals);
  cycles = NULL;
  raw_vals = NULL;
}

/* Waits until the sender has queued `more` values after now. */
static void wait_sent(struct sender_shared *sh, long more, int k) {
  long from = atomic_load(&sh->sent);
  long long deadline = now_us() + 10000000;
  while (atomic_load(&sh->sent) < from + more) {
    beat(&sh->beat);
    ck_assert_msg(atomic_load(&sh->error) == 0, "the sender failed: %s",
                  strerror(atomic_load(&sh->error)));
    ck_assert_msg(now_us() < deadline,
                  "cycle %d: the sender made no progress in 10 s: %ld sent, "
                  "%ld sends refused with EAGAIN, %ld pauses for an old beat",
                  k, atomic_load(&sh->sent), atomic_load(&sh->full),
                  atomic_load(&sh->paused));
    nap_us(20);
  }
}

/* Waits until the raw handler has seen more than `n` values. */
static void wait_raw(struct sender_shared *sh, long n, int k) {
  long long deadline = now_us() + 10000000;
  while (atomic_load(&raw_count) <= n) {
    beat(&sh->beat);
    ck_assert_msg(now_us() < deadline,
                  "cycle %d: no raw delivery in 10 s after shutdown", k);
    nap_us(20);
  }
}

/* The cycles, with the checks made after each shutdown. */
static void run_cycles(struct sender_shared *sh, int n) {
  static struct dispositions before;
  sigset_t mask;
  pid_t self = thread_id();
  int k, rc;
  read_dispositions(&before);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
  wait_raw(sh, 0, -1);
  for (k = 0; k < n; k++) {
    struct cycle *c = &cycles[k];
    unsigned flags = k % 3 == 1   ? SIGPORT_INIT_DEFAULTS
                     : k % 3 == 2 ? SIGPORT_INIT_RESTART
                                  : 0;
    long long end;
    int changed;
    beat(&sh->beat);
    atomic_store(&cur, k);
    atomic_store(&phase, PH_BETWEEN);
    SP_ASSERT_OK(sigport_init(flags));
    SP_ASSERT_OK(sigport_signal(SIGRTMIN, cycle_rt_handler, NULL, NULL));
    SP_ASSERT_OK(sigport_signal(SIGUSR1, cycle_usr1_handler, NULL, NULL));
    if (k % 4 == 0)
      SP_ASSERT_OK(sigport_signal(SIGUSR2, SIGPORT_SIG_IGN, NULL, NULL));
    /* Two values queued after the trip went in: whatever arrived before
       it has been handled, and raw_count holds every raw value before. */
    wait_sent(sh, 2, k);
    c->raw_index = atomic_load(&raw_count);
    atomic_store(&phase, PH_INSTALLED);
    switch (k % 4) {
      case 1:
        ck_assert_int_eq(sigport_dispatch(), 0);
        break;
      case 2:
        ck_assert_int_eq(sigport_dispatch(), 0);
        nap_us(100);
        ck_assert_int_eq(sigport_dispatch(), 0);
        break;
      case 3:
        end = now_us() + 300;
        do {
          rc = sigport_dispatch();
          ck_assert_int_eq(rc, 0);
        } while (now_us() < end);
        break;
      default:
        break;
    }
    if (k % 2 == 1) {
      /* Left undispatched for certain: shutdown must raise both again. */
      ck_assert_int_eq(queue_to_thread(self, SIGRTMIN, -1 - k), 0);
      c->marks = 1;
      ck_assert_int_eq(pthread_kill(pthread_self(), SIGUSR1), 0);
      c->raised_usr1 = 1;
    }
    atomic_store(&phase, PH_SHUTDOWN);
    sigport_shutdown();
    changed = changed_disposition(&before);
    ck_assert_msg(changed == 0,
                  "cycle %d: after sigport_shutdown() the disposition of "
                  "signal %d is not what it was before sigport_init(): %s",
                  k, changed, changed_how);
    assert_mask(&mask, "cycle", k);
    /* The first raw value after the shutdown: whatever tripped in this
       cycle has been handled by then. */
    wait_raw(sh, c->raw_index, k);
    ck_assert_msg(sigport_pending() == 0,
                  "cycle %d: a delivery was recorded after sigport_shutdown() "
                  "and is lost",
                  k);
  }
  atomic_store(&phase, PH_BETWEEN);
}

/* Once the sender has stopped and every value reached a handler: the
   accounting of each cycle and of the whole run. */
static void check_cycles(struct sender_shared *sh, int n) {
  long sent = atomic_load(&sh->sent), raw = atomic_load(&raw_count);
  long runs = 0, marks = 0, left_total = 0, late_total = 0, merged = 0;
  unsigned long dispatched = 0, late_usr1 = 0;
  int k, with_left = 0;
  ck_assert_msg(atomic_load(&sh->error) == 0, "the sender failed: %s",
                strerror(atomic_load(&sh->error)));
  ck_assert_msg(raw <= RAW_MAX, "%ld raw values, room for %d", raw, RAW_MAX);
  ck_assert_msg(sp_outside == 0,
                "a sigport handler ran %d times outside init ... shutdown "
                "(shutdown never runs a handler)",
                sp_outside);
  ck_assert_msg(atomic_load(&raw_stray) == 0,
                "the raw handler got %d deliveries nobody sent",
                atomic_load(&raw_stray));
  for (k = 0; k < n; k++)
    late_usr1 += (unsigned long)atomic_load(&cycles[k].late_usr1);
  /* Standard signals merge: never more than sent. */
  ck_assert_msg(sp_usr1 + (unsigned long)atomic_load(&raw_usr1) + late_usr1 <=
                    (unsigned long)atomic_load(&sh->usr1_sent),
                "SIGUSR1: %lu dispatched, %ld raw and %lu raised by late "
                "trips of %ld sent",
                sp_usr1, atomic_load(&raw_usr1), late_usr1,
                atomic_load(&sh->usr1_sent));
  if (sp_test_relaxed_counts()) {
    for (k = 0; k < n; k++) {
      dispatched += cycles[k].sp_total;
      marks += cycles[k].marks;
      ck_assert_int_le(atomic_load(&cycles[k].reraised_rt), 1);
      ck_assert_int_le(atomic_load(&cycles[k].reraised_usr1), 1);
    }
    ck_assert_msg(
        dispatched + (unsigned long)raw <= (unsigned long)(sent + marks),
        "SIGRTMIN: %lu dispatched and %ld raw of %ld sent", dispatched, raw,
        sent + marks);
    return;
  }
  ck_assert_int_eq(atomic_load(&raw_disorder), 0);
  ck_assert_int_eq(atomic_load(&raw_marks), 0);
  ck_assert_int_eq(atomic_load(&raw_inside), 0);
  ck_assert_msg(raw > 0 && raw_vals[raw - 1] == sent - 1,
                "the last value sent, %ld, did not reach the raw handler "
                "(the last it saw: %d)",
                sent - 1, raw > 0 ? raw_vals[raw - 1] : -1);
  for (k = 0; k < n; k++) {
    struct cycle *c = &cycles[k];
    long i = c->raw_index;
    long run, tripped, left;
    int reraised = atomic_load(&c->reraised_rt),
        late = atomic_load(&c->late_rt);
    ck_assert_msg(i >= 1 && i < raw, "cycle %d: raw index %ld of %ld", k, i,
                  raw);
    run = (long)raw_vals[i] - raw_vals[i - 1] - 1;
    tripped = run + c->marks;
    left = tripped - (long)c->sp_total - late;
    ck_assert_msg(left >= 0,
                  "cycle %d: the sigport handler got %lu SIGRTMIN and %d were "
                  "raised by late trips, but only %ld were delivered to the "
                  "trip",
                  k, c->sp_total, late, tripped);
    ck_assert_msg(reraised == (left > 0 ? 1 : 0),
                  "cycle %d: %ld of %ld SIGRTMIN delivered to the trip were "
                  "neither dispatched nor raised by a late trip, and "
                  "sigport_shutdown() raised it %d times",
                  k, left, tripped, reraised);
    if (c->raised_usr1)
      ck_assert_msg(atomic_load(&c->reraised_usr1) == 1,
                    "cycle %d: SIGUSR1 left at shutdown was raised %d times", k,
                    atomic_load(&c->reraised_usr1));
    else
      ck_assert_int_le(atomic_load(&c->reraised_usr1), 1);
    runs += run;
    marks += c->marks;
    dispatched += c->sp_total;
    left_total += left;
    late_total += late;
    if (left > 0) with_left++;
    if (left > 1) merged += left - 1;
  }
  /* Every value sent reached the raw handler or the trip of one cycle. */
  ck_assert_msg(raw + runs == sent, "%ld sent: %ld raw and %ld to the trip",
                sent, raw, runs);
  /* Each was dispatched, handled raw, raised by a late trip, or left at a
     shutdown that raised the signal once for all those it left (`merged`
     of them went into another one's raise). */
  ck_assert_msg(
      (long)dispatched + raw + late_total + left_total == sent + marks,
      "%ld sent and %ld queued by the main thread: %lu dispatched, "
      "%ld raw, %ld raised by late trips, %ld left at shutdown (%d "
      "raises, %ld merged)",
      sent, marks, dispatched, raw, late_total, left_total, with_left, merged);
  /* The marks left something in every other cycle at least. */
  ck_assert_int_ge(with_left, n / 2);
}

/* The set-up of the two tests below: the shared sender state, the cycle
   records and the counting raw handlers. */
static struct sender_shared *cycles_begin(int n, struct sigaction *old_rt,
                                          struct sigaction *old_usr1) {
  struct sender_shared *sh = shared_new();
  cycles_reset(n);
  install_raw(old_rt, old_usr1);
  return sh;
}

/* Checks the cycles once the sender has stopped, and undoes cycles_begin().
   The nap lets the last deliveries land: a ThreadSanitizer build may
   deliver a little later. */
static void cycles_end(struct sender_shared *sh, int n,
                       const struct sigaction *old_rt,
                       const struct sigaction *old_usr1) {
  nap_us(50000);
  check_cycles(sh, n);
  uninstall_raw(old_rt, old_usr1);
  cycles_free();
  munmap(sh, sizeof *sh);
}

START_TEST(test_shutdown_while_thread_sends) {
  struct sigaction old_rt, old_usr1;
  pthread_t t;
  int n = sp_test_relaxed_counts() ? CYCLES_RELAXED : CYCLES;
  struct sender_shared *sh = cycles_begin(n, &old_rt, &old_usr1);
  ck_assert_int_eq(pthread_create(&t, NULL, self_sender, sh), 0);
  run_cycles(sh, n);
  atomic_store(&sh->stop, 1);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  /* The sender handled each value before it queued the next. */
  cycles_end(sh, n, &old_rt, &old_usr1);
}
END_TEST

START_TEST(test_shutdown_while_process_sends) {
  struct sigaction old_rt, old_usr1;
  pid_t parent = getpid(), child;
  int status, n = sp_test_relaxed_counts() ? CYCLES_RELAXED : CYCLES;
  long long deadline;
  struct sender_shared *sh = cycles_begin(n, &old_rt, &old_usr1);
  child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    send_until_stopped(sh, parent, 0);
    _exit(0);
  }
  run_cycles(sh, n);
  atomic_store(&sh->stop, 1);
  while (waitpid(child, &status, 0) < 0) ck_assert_int_eq(errno, EINTR);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "the sending child ended with status 0x%x", status);
  /* Everything it queued reaches this thread, in order. */
  deadline = now_us() + (sp_test_relaxed_counts() ? 100000 : 10000000);
  while (atomic_load(&raw_count) > 0 &&
         raw_vals[atomic_load(&raw_count) - 1] < atomic_load(&sh->sent) - 1 &&
         now_us() < deadline)
    nap_us(1000);
  cycles_end(sh, n, &old_rt, &old_usr1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* sigport_shutdown() from inside a handler                            */
/* ------------------------------------------------------------------ */

/* SPEC §2: a handler may call any sigport function. The last shutdown,
   called from a handler, gives every disposition back and raises once
   each signal with deliveries left; the dispatch it runs in runs no other
   handler and returns the handler's result. A shutdown that is not the
   last changes nothing. */

static atomic_int in_raw_usr2, in_raw_rt, in_raw_other;

static void inside_raw_handler(int signum, siginfo_t *si, void *context) {
  int saved_errno = errno;
  (void)context;
  if (si->si_code == SI_TKILL && signum == SIGUSR2)
    atomic_fetch_add(&in_raw_usr2, 1);
  else if (si->si_code == SI_TKILL && signum == SIGRTMIN)
    atomic_fetch_add(&in_raw_rt, 1);
  else
    atomic_fetch_add(&in_raw_other, 1);
  errno = saved_errno;
}

struct inside {
  int calls, result;
  int raw_usr2, raw_rt; /* raw deliveries when shutdown had returned */
  int pending;          /* sigport_pending() after shutdown */
  int dispatch_rc;      /* sigport_dispatch() after shutdown */
  char dispatch_error[256];
};

static int shutting_down_handler(int signum, const sigport_siginfo_t *info,
                                 void *arg) {
  struct inside *in = arg;
  (void)signum;
  (void)info;
  in->calls++;
  sigport_shutdown();
  in->raw_usr2 = atomic_load(&in_raw_usr2);
  in->raw_rt = atomic_load(&in_raw_rt);
  in->pending = sigport_pending();
  in->dispatch_rc = sigport_dispatch();
  snprintf(in->dispatch_error, sizeof in->dispatch_error, "%s",
           in->dispatch_rc != 0 ? sigport_last_error() : "");
  return in->result;
}

/* Loop 0, 2: the last shutdown; 1, 3: sigport_init() was called twice.
   Loop 0, 1: the handler returns 0; 2, 3: SIGPORT_EUSER - 7. */
START_TEST(test_shutdown_inside_handler) {
  static struct dispositions before;
  struct sigaction sa, old_usr2, old_rt;
  struct sp_counter usr2 = {0}, rt = {0};
  struct inside in;
  sigset_t mask;
  int last = !(_i & 1), result = (_i & 2) ? SIGPORT_EUSER - 7 : 0;
  int rc, v;
  long long deadline;
  memset(&in, 0, sizeof in);
  in.result = result;
  atomic_store(&in_raw_usr2, 0);
  atomic_store(&in_raw_rt, 0);
  atomic_store(&in_raw_other, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = inside_raw_handler;
  sa.sa_flags = SA_SIGINFO;
  sigfillset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(SIGUSR2, &sa, &old_usr2), 0);
  ck_assert_int_eq(sigaction(SIGRTMIN, &sa, &old_rt), 0);
  read_dispositions(&before);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);

  SP_ASSERT_OK(sigport_init(0));
  if (!last) SP_ASSERT_OK(sigport_init(0));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, shutting_down_handler, &in, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN, sp_count_handler, &rt, NULL));
  /* Recorded, not dispatched: SIGUSR2 once, SIGRTMIN three times, and
     SIGUSR1, which runs first (lowest number). */
  ck_assert_int_eq(pthread_kill(pthread_self(), SIGUSR2), 0);
  for (v = 1; v <= 3; v++)
    ck_assert_int_eq(queue_to_thread(thread_id(), SIGRTMIN, v), 0);
  ck_assert_int_eq(pthread_kill(pthread_self(), SIGUSR1), 0);
  deadline = now_us() + 2000000;
  while (!sigport_pending() && now_us() < deadline) nap_us(100);
  ck_assert_int_ne(sigport_pending(), 0);

  rc = sigport_dispatch();
  ck_assert_int_eq(rc, result);
  ck_assert_int_eq(in.calls, 1);
  if (last) {
    ck_assert_int_eq(in.raw_usr2, 1);
    /* Three deliveries left, raised once (SPEC §2). */
    if (!sp_test_relaxed_counts()) ck_assert_int_eq(in.raw_rt, 1);
    ck_assert_int_eq(in.pending, 0);
    ck_assert_int_eq(in.dispatch_rc, SIGPORT_EVALUE);
    ck_assert_msg(strstr(in.dispatch_error, "not initialised") != NULL,
                  "dispatch after shutdown: '%s'", in.dispatch_error);
    ck_assert_int_eq(usr2.calls, 0);
    ck_assert_int_eq(rt.calls, 0);
    rc = changed_disposition(&before);
    ck_assert_msg(rc == 0, "signal %d was not given back: %s", rc, changed_how);
    assert_mask(&mask, "shutdown inside a handler, loop", _i);
    ck_assert_int_eq(sigport_pending(), 0);
    SP_ASSERT_FAILS(sigport_dispatch(), SIGPORT_EVALUE, "not initialised");
    ck_assert_int_eq(atomic_load(&in_raw_usr2), 1);
    ck_assert_int_eq(atomic_load(&in_raw_other), 0);
    /* sigport starts again from nothing. */
    SP_ASSERT_OK(sigport_init(0));
    SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &usr2, NULL));
    ck_assert_int_eq(sigport_raise(SIGUSR2), 0);
    ck_assert_int_eq(usr2.calls, 1);
    ck_assert_uint_eq(usr2.total, 1);
    sigport_shutdown();
  } else {
    /* Still initialised: nothing given back, nothing raised. */
    ck_assert_int_eq(in.raw_usr2, 0);
    ck_assert_int_eq(in.raw_rt, 0);
    ck_assert_int_eq(in.dispatch_rc, 0);
    if (result != 0) {
      /* Dispatch stopped at the handler's result; the rest is left. */
      ck_assert_int_eq(usr2.calls, 0);
      ck_assert_int_ne(sigport_pending(), 0);
      ck_assert_int_eq(sigport_dispatch(), 0);
    }
    ck_assert_int_eq(usr2.calls, 1);
    ck_assert_uint_eq(usr2.total, 1);
    ck_assert_int_eq(rt.calls, 1);
    if (!sp_test_relaxed_counts()) ck_assert_uint_eq(rt.total, 3);
    ck_assert_int_ne(changed_disposition(&before), 0);
    sigport_shutdown();
    rc = changed_disposition(&before);
    ck_assert_msg(rc == 0, "signal %d was not given back: %s", rc, changed_how);
    ck_assert_int_eq(atomic_load(&in_raw_usr2), 0);
    ck_assert_int_eq(atomic_load(&in_raw_rt), 0);
    ck_assert_int_eq(atomic_load(&in_raw_other), 0);
  }
  ck_assert_int_eq(sigaction(SIGUSR2, &old_usr2, NULL), 0);
  ck_assert_int_eq(sigaction(SIGRTMIN, &old_rt, NULL), 0);
}
END_TEST

Suite *sp_suite_reliability(void) {
  Suite *s = suite_create("reliability");
  TCase *tc = tcase_create("fork");
  tcase_set_timeout(tc, 60);
  sp_tcase_add_thread_test(tc, test_fork_during_storm);
  suite_add_tcase(s, tc);

  tc = tcase_create("shutdown");
  tcase_set_timeout(tc, 60);
  sp_tcase_add_thread_test(tc, test_shutdown_while_thread_sends);
  tcase_add_test(tc, test_shutdown_while_process_sends);
  tcase_add_loop_test(tc, test_shutdown_inside_handler, 0, 4);
  suite_add_tcase(s, tc);
  return s;
}
