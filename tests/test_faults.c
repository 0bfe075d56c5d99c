/*
 * test_faults.c: the calls that make things fail, one at a time, through
 * the seam of src/internal.h (src/test/fault.c), as SQLite's tests fail its
 * syscall table's entries.
 *
 * For each call that sigport_watch_open(), sigport_add_handler() and
 * sigport_init() make (malloc, calloc, eventfd, pipe, fcntl, sigaction),
 * the Nth call fails, for N = 1, 2, ... until the operation no longer
 * reaches an Nth call and succeeds. Each failure must give SIGPORT_EOS
 * with the errno the seam gave, a message naming the call, and no change:
 * the dispositions and the mask read back with the raw sigaction() and
 * sigprocmask(), and the set of open fds, are what they were. Memory is
 * left to the asan preset. Then a fork() child whose wake pipe cannot be
 * made: it starts with nothing pending, its sigport_pause() reports the
 * failure, and makes the pipe once it can.
 *
 * Only with SIGPORT_TEST_INTERNALS (the static build's sigport_testlib).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#if defined(SIGPORT_TEST_INTERNALS)
#include "internal.h"

/* fds below this are looked at. */
#define SP_MAX_FD 1024

/* What a failed call must leave as it was. */
struct snap {
  int rc[SIGPORT_NSIG];
  struct sigaction sa[SIGPORT_NSIG];
  sigset_t mask;
  unsigned char fds[SP_MAX_FD];
};

/* Under valgrind, regular files are left out: valgrind's own log files
   (--log-file, one more opened in each forked child) are fds of the
   process, and sigport makes no regular file. */
static void take_fds(unsigned char *fds) {
  int fd, vg = sp_test_under_valgrind();
  struct stat st;
  for (fd = 0; fd < SP_MAX_FD; fd++)
    fds[fd] = fcntl(fd, F_GETFD) != -1 &&
              !(vg && fstat(fd, &st) == 0 && S_ISREG(st.st_mode));
}

static void take_snap(struct snap *s) {
  int sig;
  memset(s, 0, sizeof *s);
  for (sig = 1; sig < SIGPORT_NSIG; sig++)
    s->rc[sig] = sigaction(sig, NULL, &s->sa[sig]);
  ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &s->mask), 0);
  take_fds(s->fds);
}

static void assert_same_fds(const unsigned char *a, const unsigned char *b,
                            const char *what) {
  int fd;
  for (fd = 0; fd < SP_MAX_FD; fd++)
    ck_assert_msg(a[fd] == b[fd], "%s: fd %d was %s and is %s", what, fd,
                  a[fd] ? "open" : "closed", b[fd] ? "open" : "closed");
}

static void assert_same(const struct snap *a, const struct snap *b,
                        const char *what) {
  int sig;
  for (sig = 1; sig < SIGPORT_NSIG; sig++) {
    ck_assert_msg(a->rc[sig] == b->rc[sig], "%s: sigaction(%d) rc changed",
                  what, sig);
    if (a->rc[sig] != 0) continue;
    ck_assert_msg(a->sa[sig].sa_handler == b->sa[sig].sa_handler &&
                      a->sa[sig].sa_flags == b->sa[sig].sa_flags,
                  "%s: the disposition of signal %d changed", what, sig);
    ck_assert_msg(sigismember(&a->mask, sig) == sigismember(&b->mask, sig),
                  "%s: the mask changed at signal %d", what, sig);
  }
  assert_same_fds(a->fds, b->fds, what);
}

/* An operation under test: make() returns 0 or a sigport code; undo()
   takes back what a successful make() did. */
struct op {
  const char *name;
  int (*make)(struct op *);
  void (*undo)(struct op *);
  sigport_sigset_t set;
  unsigned flags;
  int signum;
  sigport_watch_t *w;
  sigport_watch_t *share; /* for sigport_watch_open_shared() */
  uint64_t id;
};

/* What the message of a failed call contains. */
static const char *needle_of(enum sp_call which) {
  switch (which) {
    case SP_CALL_MALLOC:
    case SP_CALL_CALLOC:
      return "out of memory";
    case SP_CALL_SIGACTION:
      return "sigaction(";
    default:
      return sp__fault_name(which);
  }
}

/* The errno the seam gives each call: all different, so that the one
   carried is known to be the call's. */
static int errno_of(enum sp_call which) {
  switch (which) {
    case SP_CALL_MALLOC:
    case SP_CALL_CALLOC:
      return ENOMEM;
    case SP_CALL_EVENTFD:
      return EMFILE;
    case SP_CALL_PIPE:
      return ENFILE;
    case SP_CALL_FCNTL:
      return EBADF;
    case SP_CALL_SIGACTION:
      return EFAULT;
    default:
      return EIO;
  }
}

/* Fails the Nth call of `which` for N = 1, 2, ... until the operation
   makes fewer than N; returns how many failed. Each must fail the
   operation with nothing changed; the last run must succeed. */
static int fail_each(struct op *op, enum sp_call which) {
  int n;
  for (n = 1;; n++) {
    struct snap before, after;
    char what[160];
    int rc, calls;
    take_snap(&before);
    sp__fault_set(which, n, errno_of(which));
    rc = op->make(op);
    calls = sp__fault_calls(which);
    sp__fault_clear();
    snprintf(what, sizeof what, "%s, %s call %d failed", op->name,
             sp__fault_name(which), n);
    if (calls < n) {
      ck_assert_msg(rc == 0, "%s: returned %d without a failure (%s)",
                    op->name, rc, sigport_last_error());
      op->undo(op);
      return n - 1;
    }
    ck_assert_msg(rc == SIGPORT_EOS, "%s: returned %d, expected SIGPORT_EOS"
                  " (%s)", what, rc, sigport_last_error());
    ck_assert_msg(sigport_last_oserror() == errno_of(which),
                  "%s: errno %d, expected %d", what, sigport_last_oserror(),
                  errno_of(which));
    ck_assert_msg(strstr(sigport_last_error(), needle_of(which)) != NULL,
                  "%s: the message '%s' does not name '%s'", what,
                  sigport_last_error(), needle_of(which));
    take_snap(&after);
    assert_same(&before, &after, what);
  }
}

/* The calls an operation is tried with. */
static const enum sp_call all_calls[] = {
    SP_CALL_MALLOC,     SP_CALL_CALLOC,       SP_CALL_EVENTFD,
    SP_CALL_PIPE,       SP_CALL_FCNTL,        SP_CALL_SIGACTION,
    SP_CALL_SOCKETPAIR, SP_CALL_PIDFD_OPEN,   SP_CALL_EPOLL_CREATE,
    SP_CALL_EPOLL_CTL};
#define N_CALLS (sizeof all_calls / sizeof all_calls[0])

/* Fails every call of every kind; counts[k] gets how many of all_calls[k]
   failed. */
static void fail_all(struct op *op, int *counts) {
  size_t k;
  for (k = 0; k < N_CALLS; k++) counts[k] = fail_each(op, all_calls[k]);
}

static int count_of(const int *counts, enum sp_call which) {
  size_t k;
  for (k = 0; k < N_CALLS; k++)
    if (all_calls[k] == which) return counts[k];
  return -1;
}

static int open_watch(struct op *op) {
  return sigport_watch_open(&op->set, op->flags, &op->w);
}
static void close_watch(struct op *op) {
  SP_ASSERT_OK(sigport_watch_close(op->w));
  op->w = NULL;
}

static int open_shared(struct op *op) {
  return sigport_watch_open_shared(&op->set, op->flags, op->share, &op->w);
}
/* The group's fd outlives the watch that shared it. */
static void close_shared(struct op *op) {
  int fd = (int)sigport_watch_fd(op->share);
  ck_assert_int_eq((int)sigport_watch_fd(op->w), fd);
  close_watch(op);
  ck_assert_msg(fcntl(fd, F_GETFD) != -1,
                "closing a shared watch closed the group's fd %d", fd);
}

static int noop_handler(int signum, const sigport_siginfo_t *info,
                        void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  return 0;
}

static int add_handler(struct op *op) {
  return sigport_add_handler(op->signum, noop_handler, NULL, op->flags,
                             &op->id);
}
static void remove_handler(struct op *op) {
  SP_ASSERT_OK(sigport_remove_handler(op->id));
}

static int do_init(struct op *op) {
  (void)op;
  return sigport_init(0);
}
static void do_shutdown(struct op *op) {
  (void)op;
  sigport_shutdown();
}

static void raw_set(int signum, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(signum, &sa, NULL), 0);
}

static void setup(void) {
  sp__fault_clear();
  raw_set(SIGUSR1, SIG_DFL);
  raw_set(SIGUSR2, SIG_DFL);
  raw_set(SIGHUP, SIG_DFL);
  ck_assert_int_eq(sigport_init(0), 0);
}
static void teardown(void) {
  sp__fault_clear();
  sigport_shutdown();
  raw_set(SIGUSR1, SIG_DFL);
  raw_set(SIGUSR2, SIG_DFL);
  raw_set(SIGHUP, SIG_DFL);
}

/* One signal: calloc (the watch, its doorbell), malloc (the list), the
   doorbell's fd, and two sigaction() calls (the saved action, the
   trip). */
START_TEST(test_watch_open_one) {
  struct op op;
  int counts[N_CALLS];
  memset(&op, 0, sizeof op);
  op.name = "sigport_watch_open(SIGUSR1)";
  op.make = open_watch;
  op.undo = close_watch;
  sigport_sigemptyset(&op.set);
  sigport_sigaddset(&op.set, SIGUSR1);
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_CALLOC), 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 2);
#if defined(__linux__)
  ck_assert_int_eq(count_of(counts, SP_CALL_EVENTFD), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_PIPE), 0);
#else
  ck_assert_int_eq(count_of(counts, SP_CALL_PIPE), 1);
  ck_assert_int_ge(count_of(counts, SP_CALL_FCNTL), 1);
#endif
  ck_assert_int_eq(count_of(counts, SP_CALL_SOCKETPAIR), 0);
}
END_TEST

/* Three signals in queue mode, beside a watch that holds one of them
   already, and one of them ignored (nohup): the ring's malloc, a list of
   two, and the taken signals given back when a later one fails. */
START_TEST(test_watch_open_queue_beside) {
  struct op op;
  sigport_sigset_t usr2;
  sigport_watch_t *other;
  int counts[N_CALLS];
  raw_set(SIGHUP, SIG_IGN);
  sigport_sigemptyset(&usr2);
  sigport_sigaddset(&usr2, SIGUSR2);
  SP_ASSERT_OK(sigport_watch_open(&usr2, 0, &other));
  memset(&op, 0, sizeof op);
  op.name = "sigport_watch_open(SIGHUP SIGUSR1 SIGUSR2, QUEUE)";
  op.make = open_watch;
  op.undo = close_watch;
  op.flags = SIGPORT_WATCH_QUEUE;
  sigport_sigemptyset(&op.set);
  sigport_sigaddset(&op.set, SIGHUP);
  sigport_sigaddset(&op.set, SIGUSR1);
  sigport_sigaddset(&op.set, SIGUSR2);
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_CALLOC), 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), 2);
  /* HUP and USR1 are taken (two calls each); USR2 has the trip. */
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 4);
  SP_ASSERT_OK(sigport_watch_close(other));
  {
    struct sigaction sa;
    ck_assert_int_eq(sigaction(SIGHUP, NULL, &sa), 0);
    ck_assert(sa.sa_handler == SIG_IGN);
  }
}
END_TEST

/* A watch that shares another's doorbell makes no fd: calloc (the watch)
   and malloc (the list) for it, and the two sigaction() calls of a signal
   of its own. A failure leaves the group as it was: closing the watch it
   would have shared with closes the fd, which a reference left behind
   would keep open. */
START_TEST(test_watch_open_shared) {
  struct op op;
  sigport_sigset_t usr2;
  sigport_watch_t *share;
  int counts[N_CALLS], fd;
  sigport_sigemptyset(&usr2);
  sigport_sigaddset(&usr2, SIGUSR2);
  SP_ASSERT_OK(sigport_watch_open(&usr2, 0, &share));
  fd = (int)sigport_watch_fd(share);
  memset(&op, 0, sizeof op);
  op.name = "sigport_watch_open_shared(SIGUSR1)";
  op.make = open_shared;
  op.undo = close_shared;
  op.share = share;
  sigport_sigemptyset(&op.set);
  sigport_sigaddset(&op.set, SIGUSR1);
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_CALLOC), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_EVENTFD), 0);
  ck_assert_int_eq(count_of(counts, SP_CALL_PIPE), 0);
  ck_assert_int_eq(count_of(counts, SP_CALL_FCNTL), 0);
  ck_assert_int_eq(fcntl(fd, F_GETFD) != -1, 1);
  SP_ASSERT_OK(sigport_watch_close(share));
  ck_assert_msg(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
                "the group's fd %d is still open after its last watch closed",
                fd);
}
END_TEST

START_TEST(test_add_handler) {
  struct op op;
  int counts[N_CALLS];
  memset(&op, 0, sizeof op);
  op.name = "sigport_add_handler(SIGUSR1)";
  op.make = add_handler;
  op.undo = remove_handler;
  op.signum = SIGUSR1;
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_CALLOC), 0);
  ck_assert_int_eq(count_of(counts, SP_CALL_PIPE), 0);
}
END_TEST

static void foreign(int signum) { (void)signum; }

/* Over a foreign action, to chain to: it must still be there after each
   failure. */
START_TEST(test_add_handler_chain) {
  struct op op;
  int counts[N_CALLS];
  raw_set(SIGUSR2, foreign);
  memset(&op, 0, sizeof op);
  op.name = "sigport_add_handler(SIGUSR2, CHAIN)";
  op.make = add_handler;
  op.undo = remove_handler;
  op.signum = SIGUSR2;
  op.flags = SIGPORT_ADD_CHAIN;
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 2);
  {
    struct sigaction sa;
    ck_assert_int_eq(sigaction(SIGUSR2, NULL, &sa), 0);
    ck_assert(sa.sa_handler == foreign);
  }
}
END_TEST

/* A failed install remembers nothing: when the trip's sigaction() fails,
   the action saved just before is forgotten, so that an action set
   afterwards, outside sigport, is the one the next watch saves and its
   close gives back. */
START_TEST(test_failed_install_saves_nothing) {
  sigport_sigset_t set;
  sigport_watch_t *w;
  struct sigaction sa;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR1);
  /* The first call reads the action to save, the second installs. */
  sp__fault_set(SP_CALL_SIGACTION, 2, EFAULT);
  ck_assert_int_eq(sigport_watch_open(&set, 0, &w), SIGPORT_EOS);
  sp__fault_clear();
  raw_set(SIGUSR1, foreign);
  SP_ASSERT_OK(sigport_watch_open(&set, 0, &w));
  SP_ASSERT_OK(sigport_watch_close(w));
  ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
  ck_assert_msg(sa.sa_handler == foreign,
                "the close gave back the action saved by the failed open");
}
END_TEST

/* sigport_init(): the wake pipe, its pipe() and four fcntl() calls. */
START_TEST(test_init) {
  struct op op;
  int counts[N_CALLS];
  memset(&op, 0, sizeof op);
  op.name = "sigport_init(0)";
  op.make = do_init;
  op.undo = do_shutdown;
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_PIPE), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_FCNTL), 8);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 0);
}
END_TEST

/* The fork() child whose wake pipe cannot be made. process.c says: "A
   failure (no fd left) leaves no pipe: the child's next sigport_pause()
   makes it, or reports why it cannot." The parent has a delivery pending
   for its handler and an untaken one in a watch when it forks. */

static int usr1_calls;
static int count_usr1(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)arg;
  usr1_calls += (int)info->count;
  return 0;
}

struct waker_arg {
  long tid;
};

/* Sends SIGUSR1 once the main thread sleeps, in sigport_pause()'s wait
   on the pipe it made. */
static void *send_when_asleep(void *p) {
  struct waker_arg *a = p;
  sp_wait_until_asleep(a->tid);
  kill(getpid(), SIGUSR1);
  return NULL;
}

/* The child's checks; its exit status says which failed (0: none). */
static int child_checks(const unsigned char *base) {
  unsigned char fds[SP_MAX_FD];
  pthread_t t;
  struct waker_arg a;
  int fd, rc;
  /* Its wake pipe was tried, and failed. */
  if (sp__fault_calls(SP_CALL_PIPE) != 1) return 10;
  /* Nothing of the parent's is pending, and dispatch runs nothing. */
  if (sigport_pending()) return 11;
  if (sigport_dispatch() != 0 || usr1_calls != 0) return 12;
  /* The fds are those from before sigport_init(): the parent's wake pipe
     and the watch's doorbell are closed, and no pipe was made. */
  take_fds(fds);
  for (fd = 0; fd < SP_MAX_FD; fd++)
    if (fds[fd] != base[fd]) return 13;
  /* sigport_pause() tries to make it, and says why it cannot. */
  sp__fault_set(SP_CALL_PIPE, 1, EMFILE);
  rc = sigport_pause();
  if (rc != SIGPORT_EOS || sigport_last_oserror() != EMFILE) return 14;
  if (strstr(sigport_last_error(), "sigport_pause: the wake pipe: pipe") ==
      NULL)
    return 15;
  sp__fault_clear();
  /* Then it can: the pipe is made, and a signal that comes while it
     sleeps on it wakes it. */
  a.tid = sp_thread_id();
  if (pthread_create(&t, NULL, send_when_asleep, &a) != 0) return 16;
  rc = sigport_pause();
  pthread_join(t, NULL);
  if (rc != 0 || usr1_calls != 1) return 17;
  take_fds(fds);
  rc = 0;
  for (fd = 0; fd < SP_MAX_FD; fd++)
    if (fds[fd] && !base[fd]) rc++;
  if (rc != 2) return 18;
  return 0;
}

START_TEST(test_fork_child_without_wake_pipe) {
  unsigned char base[SP_MAX_FD];
  sigport_sigset_t usr2;
  sigport_watch_t *w;
  sigport_siginfo_t info;
  pid_t pid;
  int status;
  /* This test makes its own init: the fds before it are the base. */
  sigport_shutdown();
  take_fds(base);
  SP_ASSERT_OK(sigport_init(0));
  usr1_calls = 0;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, count_usr1, NULL, NULL));
  sigport_sigemptyset(&usr2);
  sigport_sigaddset(&usr2, SIGUSR2);
  SP_ASSERT_OK(sigport_watch_open(&usr2, 0, &w));
  /* The raw kill(): recorded by the trip, not dispatched. */
  ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
  ck_assert_int_eq(kill(getpid(), SIGUSR2), 0);
  ck_assert(sigport_pending());
  sp__fault_set(SP_CALL_PIPE, 1, EMFILE);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) _exit(child_checks(base));
  sp__fault_clear();
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "the child failed check %d (status 0x%x)",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1, status);
  /* The parent keeps what it had. */
  ck_assert(sigport_pending());
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(usr1_calls, 1);
  ck_assert_int_eq(sigport_watch_take(w, &info), SIGUSR2);
  ck_assert_uint_eq(info.count, 1);
  SP_ASSERT_OK(sigport_watch_close(w));
}
END_TEST

/* The first child watch of a process, on the pidfd path and on the
   fallback (SIGPORT_CHILD_FALLBACK, read by sigport_init()): the epoll
   set, SIGCHLD's trip, the fallback's doorbell watch, the entry and its
   index, the pidfd. Each undo starts sigport again, so that every try is
   a first watch. */
static pid_t watched_child;

static int no_report(const sigport_child_status_t *st, void *arg) {
  (void)st;
  (void)arg;
  ck_abort_msg("a child was reported");
  return 0;
}

static int watch_child(struct op *op) {
  (void)op;
  return sigport_watch_child(watched_child, no_report, NULL);
}

static void unwatch_child_again(struct op *op) {
  (void)op;
  SP_ASSERT_OK(sigport_unwatch_child(watched_child));
  sigport_shutdown();
  SP_ASSERT_OK(sigport_init(0));
}

START_TEST(test_watch_child) {
  struct op op;
  /* valgrind answers pidfd_open with ENOSYS: the fallback there. */
  int counts[N_CALLS], status, fallback = _i == 1 || sp_test_under_valgrind();
  int ready[2];
  char c;
  if (fallback)
    setenv("SIGPORT_CHILD_FALLBACK", "1", 1);
  else
    unsetenv("SIGPORT_CHILD_FALLBACK");
  sigport_shutdown();
  SP_ASSERT_OK(sigport_init(0));
  raw_set(SIGCHLD, SIG_DFL);
  ck_assert_int_eq(pipe(ready), 0);
  watched_child = fork();
  ck_assert_int_ge(watched_child, 0);
  if (watched_child == 0) {
    close(ready[1]);
    while (read(ready[0], &c, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  close(ready[0]);
  memset(&op, 0, sizeof op);
  op.name = fallback ? "sigport_watch_child (fallback)"
                     : "sigport_watch_child (pidfd)";
  op.make = watch_child;
  op.undo = unwatch_child_again;
  fail_all(&op, counts);
  ck_assert_int_eq(count_of(counts, SP_CALL_SIGACTION), 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_EPOLL_CREATE), 1);
  /* The pidfd path's kick doorbell and the child's pidfd; the fallback's
     watch doorbell. */
  ck_assert_int_eq(count_of(counts, SP_CALL_EPOLL_CTL), fallback ? 1 : 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_PIDFD_OPEN), fallback ? 0 : 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_EVENTFD), 1);
  ck_assert_int_eq(count_of(counts, SP_CALL_CALLOC), fallback ? 4 : 2);
  ck_assert_int_eq(count_of(counts, SP_CALL_MALLOC), fallback ? 1 : 0);
  close(ready[1]);
  ck_assert_int_eq(waitpid(watched_child, &status, 0), watched_child);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  unsetenv("SIGPORT_CHILD_FALLBACK");
}
END_TEST

static void setup_bare(void) {
  sp__fault_clear();
  raw_set(SIGUSR1, SIG_DFL);
}
static void teardown_bare(void) { sp__fault_clear(); }

Suite *sp_suite_faults(void) {
  Suite *s = suite_create("faults");
  TCase *tc = tcase_create("faults");
  TCase *bare = tcase_create("init");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_watch_open_one);
  tcase_add_test(tc, test_watch_open_queue_beside);
  tcase_add_test(tc, test_watch_open_shared);
  tcase_add_test(tc, test_add_handler);
  tcase_add_test(tc, test_add_handler_chain);
  tcase_add_test(tc, test_failed_install_saves_nothing);
  sp_tcase_add_thread_test(tc, test_fork_child_without_wake_pipe);
#if defined(__linux__)
  tcase_add_loop_test(tc, test_watch_child, 0, 2);
#endif
  suite_add_tcase(s, tc);
  tcase_add_checked_fixture(bare, setup_bare, teardown_bare);
  tcase_add_test(bare, test_init);
  suite_add_tcase(s, bare);
  return s;
}

#else /* !SIGPORT_TEST_INTERNALS */

/* A shared build has no seam to fail calls through. */
START_TEST(test_no_seam) {
  printf("faults: the seam needs the static build's test library\n");
}
END_TEST

Suite *sp_suite_faults(void) {
  Suite *s = suite_create("faults");
  TCase *tc = tcase_create("faults");
  tcase_add_test(tc, test_no_seam);
  suite_add_tcase(s, tc);
  return s;
}

#endif
