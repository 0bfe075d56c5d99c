/*
 * test_child.c: child watches (SPEC 6.3) with real children: statuses,
 * no stealing, lost children, a thousand ends at once, children that
 * ended before they were watched, SIGCHLD handlers beside the watches,
 * SIGPORT_CHILD_ANY, the child fd, fork(), and running out of descriptors.
 *
 * CTest runs this suite twice: as it comes (pidfds on Linux), and with
 * SIGPORT_CHILD_FALLBACK=1 (waitpid for each watched pid). Each run checks
 * which path it is on by counting the pidfds in /proc/self/fd.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

/* What the callbacks were told. */
#define MAX_REPORTS 1100
static struct {
  int n;
  sigport_child_status_t st[MAX_REPORTS];
  void *arg[MAX_REPORTS];
  int result; /* what the callbacks return */
} got;

static int record(const sigport_child_status_t *st, void *arg) {
  ck_assert_int_lt(got.n, MAX_REPORTS);
  got.st[got.n] = *st;
  got.arg[got.n] = arg;
  got.n++;
  return got.result;
}

/* The reports of pid so far. */
static int reports_of(pid_t pid) {
  int i, n = 0;
  for (i = 0; i < got.n; i++) n += got.st[i].pid == pid;
  return n;
}

static const sigport_child_status_t *report_of(pid_t pid) {
  int i;
  for (i = 0; i < got.n; i++)
    if (got.st[i].pid == pid) return &got.st[i];
  ck_abort_msg("pid %d was not reported", (int)pid);
  return NULL;
}

/* Dispatches until `n` reports came, sleeping in poll() on the child fd
   in between: the fd must wake the loop, or the test times out. */
static void run_until(int n) {
  struct pollfd p;
  double start = sp_now_ms(), limit = start + 60000, now;
  p.fd = (int)sigport_child_fd();
  p.events = POLLIN;
  ck_assert_int_ge(p.fd, 0);
  while (got.n < n) {
    int rc = poll(&p, 1, 1000);
    ck_assert_msg(rc >= 0 || errno == EINTR, "poll: %s", strerror(errno));
    ck_assert_int_eq(sigport_dispatch(), 0);
    now = sp_now_ms();
    ck_assert_msg(now < limit,
                  "%d of %d reports after 60 s (clock %.3f ms, from %.3f)",
                  got.n, n, now, start);
  }
}

/* A child that waits for the pipe to close (or pauses), then exits. */
static pid_t spawn_exit(int code) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) _exit(code);
  return pid;
}

/* A child that sleeps until a signal ends it; it has SIGTERM's default
   action (the test process has Check's handler) before this returns. */
static pid_t spawn_paused(void) {
  int ready[2];
  char c;
  pid_t pid;
  ck_assert_int_eq(pipe(ready), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    signal(SIGTERM, SIG_DFL);
    close(ready[0]);
    if (write(ready[1], "r", 1) != 1) _exit(120);
    for (;;) pause();
  }
  close(ready[1]);
  while (read(ready[0], &c, 1) < 0 && errno == EINTR) {
  }
  close(ready[0]);
  return pid;
}

/* Waits until pid has ended, without reaping it. */
static void wait_ended(pid_t pid) {
  siginfo_t si;
  int rc;
  do {
    memset(&si, 0, sizeof si);
    rc = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  ck_assert_msg(rc == 0 && si.si_pid == pid, "waitid(%d): %s", (int)pid,
                strerror(errno));
}

/* Whether pid is a zombie nobody reaped yet. */
static int unreaped(pid_t pid) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         si.si_pid == pid;
}

/* The pidfds this process has open (Linux: anon_inode:[pidfd]). */
static int count_fds(const char *kind) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  ck_assert_ptr_nonnull(d);
  while ((e = readdir(d)) != NULL) {
    char path[300], target[128];
    ssize_t len;
    snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
    len = readlink(path, target, sizeof target - 1);
    if (len <= 0) continue;
    target[len] = '\0';
    n += strcmp(target, kind) == 0;
  }
  closedir(d);
  return n;
}
#define PIDFD "anon_inode:[pidfd]"

/* Whether this run is on the fallback path: SIGPORT_CHILD_FALLBACK=1, or
   valgrind (3.19), which does not know pidfd_open (system call 434) and
   answers ENOSYS, so that sigport takes the fallback there. */
static int fallback_forced(void) {
  const char *v = getenv("SIGPORT_CHILD_FALLBACK");
  static int said;
  if (v != NULL && strcmp(v, "1") == 0) return 1;
  if (sp_test_under_valgrind()) {
    if (!said) {
      printf("under valgrind: the child watches take the fallback path: "
             "valgrind answers pidfd_open with ENOSYS\n");
      fflush(stdout);
      said = 1;
    }
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */

/* How each child ends, and what must be reported. */
enum end { EXIT_0, EXIT_3, EXIT_255, BY_TERM, BY_KILL, SEGV_NO_CORE,
           SEGV_CORE, N_ENDS };

/* A real memory fault, with the kernel's default action for it: a write
   to a read-only page (which valgrind passes on to the kernel without a
   report of its own). */
static void fault(int core, const char *dir) {
  struct sigaction sa;
  struct rlimit rl;
  volatile char *page;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  getrlimit(RLIMIT_CORE, &rl);
  rl.rlim_cur = core ? rl.rlim_max : 0;
  setrlimit(RLIMIT_CORE, &rl);
  if (chdir(dir) != 0) _exit(100);
  page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) _exit(101);
  page[0] = 1;
  _exit(102);
}

/* Removes the files of dir, then dir. */
static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[512];
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

START_TEST(test_statuses) {
  char dir[] = "/tmp/sigport-core-XXXXXX";
  pid_t pid;
  const sigport_child_status_t *st;
  struct rlimit rl;
  ck_assert_ptr_nonnull(mkdtemp(dir));
  switch (_i) {
    case EXIT_0: pid = spawn_exit(0); break;
    case EXIT_3: pid = spawn_exit(3); break;
    case EXIT_255: pid = spawn_exit(255); break;
    case BY_TERM:
    case BY_KILL: pid = spawn_paused(); break;
    default:
      pid = fork();
      ck_assert_int_ge(pid, 0);
      if (pid == 0) fault(_i == SEGV_CORE, dir);
      break;
  }
  SP_ASSERT_OK(sigport_watch_child(pid, record, dir));
  if (_i == BY_TERM) kill(pid, SIGTERM);
  if (_i == BY_KILL) kill(pid, SIGKILL);
  run_until(1);
  ck_assert_int_eq(got.n, 1);
  st = &got.st[0];
  ck_assert_int_eq(st->pid, pid);
  ck_assert_ptr_eq(got.arg[0], dir);
  ck_assert_int_eq(st->lost, 0);
  switch (_i) {
    case EXIT_0:
    case EXIT_3:
    case EXIT_255:
      ck_assert_int_eq(st->exited, 1);
      ck_assert_int_eq(st->code, _i == EXIT_0 ? 0 : _i == EXIT_3 ? 3 : 255);
      ck_assert_int_eq(st->signo, 0);
      ck_assert_int_eq(st->core, 0);
      break;
    case BY_TERM:
    case BY_KILL:
      ck_assert_int_eq(st->exited, 0);
      ck_assert_int_eq(st->code, 0);
      ck_assert_int_eq(st->signo, _i == BY_TERM ? SIGTERM : SIGKILL);
      ck_assert_int_eq(st->core, 0);
      break;
    default:
      ck_assert_int_eq(st->exited, 0);
      ck_assert_int_eq(st->signo, SIGSEGV);
      getrlimit(RLIMIT_CORE, &rl);
      /* A core needs a limit above 0 for the child to raise its own to.
         valgrind writes a core of its own (vgcore.PID) and then ends the
         process by the signal without one. */
      if (_i == SEGV_CORE && sp_test_under_valgrind()) {
        printf("under valgrind: test_statuses: a core is valgrind's "
               "vgcore, and the kernel reports none\n");
        ck_assert_int_eq(st->core, 0);
      } else {
        ck_assert_int_eq(st->core, _i == SEGV_CORE && rl.rlim_max > 0);
      }
      break;
  }
  /* sigport reaped it: no one else can. */
  ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
  ck_assert_int_eq(errno, ECHILD);
  remove_dir(dir);
}
END_TEST

/* Two children; one is watched. The test's own waitpid() gets the other's
   status: sigport waited for no one else. */
START_TEST(test_no_stealing) {
  pid_t watched = spawn_exit(4), other = spawn_exit(5);
  int status = 0;
  SP_ASSERT_OK(sigport_watch_child(watched, record, NULL));
  wait_ended(other);
  run_until(1);
  ck_assert_int_eq(report_of(watched)->code, 4);
  ck_assert_int_eq(reports_of(other), 0);
  /* Both SIGCHLDs were dispatched: the other is still unreaped. */
  ck_assert(unreaped(other));
  ck_assert_int_eq(waitpid(other, &status, 0), other);
  ck_assert(WIFEXITED(status));
  ck_assert_int_eq(WEXITSTATUS(status), 5);
}
END_TEST

/* Reaped behind sigport's back: reported once, as lost. */
START_TEST(test_lost) {
  pid_t pid = spawn_exit(6), later;
  int status;
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  wait_ended(pid);
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  run_until(1);
  ck_assert_int_eq(got.st[0].pid, pid);
  ck_assert_int_eq(got.st[0].lost, 1);
  ck_assert_int_eq(got.st[0].exited, 0);
  ck_assert_int_eq(got.st[0].code, 0);
  /* Another end, another SIGCHLD: the lost one is not told again. */
  later = spawn_exit(7);
  SP_ASSERT_OK(sigport_watch_child(later, record, NULL));
  run_until(2);
  ck_assert_int_eq(reports_of(pid), 1);
  ck_assert_int_eq(report_of(later)->code, 7);
  ck_assert_int_eq(got.n, 2);
}
END_TEST

/* 1000 children, released at once by closing the pipe they read: each is
   reported once, with its own code. Under ThreadSanitizer, qemu-user and
   valgrind a fork costs some 25 ms or more (TSan's runtime stops and
   copies its own state, qemu and valgrind map themselves again), so there
   the test releases 250, which is still
   far more ends than SIGCHLD, a single pending bit, can tell of one by
   one. */
#define THOUSAND 1000
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif
static int children_at_once(void) {
  return UNDER_TSAN || sp_test_under_qemu() || sp_test_under_valgrind()
             ? 250
             : THOUSAND;
}
START_TEST(test_thousand_at_once) {
  static pid_t pids[THOUSAND];
  int fds[2], i, n = children_at_once();
  char c;
  struct rlimit rl;
  /* A pidfd each, beside what the test has open. */
  ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_cur < (rlim_t)n + 100 && rl.rlim_max >= (rlim_t)n + 100) {
    rl.rlim_cur = (rlim_t)n + 100;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
  }
  ck_assert_int_eq(pipe(fds), 0);
  for (i = 0; i < n; i++) {
    pids[i] = fork();
    ck_assert_int_ge(pids[i], 0);
    if (pids[i] == 0) {
      close(fds[1]);
      while (read(fds[0], &c, 1) < 0 && errno == EINTR) {
      }
      _exit(i % 256);
    }
    SP_ASSERT_OK(sigport_watch_child(pids[i], record, NULL));
  }
  close(fds[0]);
  close(fds[1]);
  run_until(n);
  for (i = 0; i < n; i++) {
    const sigport_child_status_t *st = report_of(pids[i]);
    ck_assert_int_eq(reports_of(pids[i]), 1);
    ck_assert_int_eq(st->exited, 1);
    ck_assert_int_eq(st->code, i % 256);
  }
  ck_assert_int_eq(got.n, n);
  ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
  ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* A child that ended (and whose SIGCHLD came) before the watch: the next
   dispatch reports it, with nothing else to wake it. */
START_TEST(test_already_ended) {
  pid_t first = spawn_exit(8), second;
  wait_ended(first);
  /* The first watch of all. */
  SP_ASSERT_OK(sigport_watch_child(first, record, NULL));
  ck_assert_int_eq(sigport_pending(), 1);
  {
    struct pollfd p;
    p.fd = (int)sigport_child_fd();
    p.events = POLLIN;
    ck_assert_int_eq(poll(&p, 1, 0), 1);
  }
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(got.n, 1);
  ck_assert_int_eq(report_of(first)->code, 8);
  /* And with the machinery running already. */
  second = spawn_exit(9);
  wait_ended(second);
  ck_assert_int_eq(sigport_dispatch(), 0); /* its SIGCHLD: nobody's yet */
  ck_assert(unreaped(second));
  SP_ASSERT_OK(sigport_watch_child(second, record, NULL));
  ck_assert_int_eq(sigport_pending(), 1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(got.n, 2);
  ck_assert_int_eq(report_of(second)->code, 9);
}
END_TEST

/* A SIGCHLD handler of sigport_signal() keeps running beside the
   watches, with the delivery's siginfo. */
START_TEST(test_sigchld_handler_too) {
  struct sp_counter counter;
  pid_t pid;
  memset(&counter, 0, sizeof counter);
  SP_ASSERT_OK(sigport_signal(SIGCHLD, sp_count_handler, &counter, NULL));
  pid = spawn_paused();
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  kill(pid, SIGKILL);
  run_until(1);
  /* The pidfd can tell of the end before the SIGCHLD is delivered: the
     kernel wakes the pidfd's waiters first and queues the signal after
     (do_notify_parent()), and qemu-user delivers a guest signal later
     still. sigport_pause() returns at once when it is pending already. */
  while (counter.calls == 0) ck_assert_int_eq(sigport_pause(), 0);
  ck_assert_int_eq(counter.calls, 1);
  ck_assert_int_eq(counter.last.pid, pid);
  ck_assert_int_eq(counter.last.code, CLD_KILLED);
  ck_assert_int_eq(counter.last.status, SIGKILL);
  ck_assert_int_eq(report_of(pid)->signo, SIGKILL);
}
END_TEST

/* Unwatched before it ended: sigport neither reaps it nor calls back. */
START_TEST(test_unwatch) {
  pid_t pid = spawn_paused(), other;
  int status;
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  SP_ASSERT_OK(sigport_unwatch_child(pid));
  SP_ASSERT_FAILS(sigport_unwatch_child(pid), SIGPORT_EVALUE, "not watched");
  kill(pid, SIGKILL);
  wait_ended(pid);
  /* A watched child's end after it, so that a dispatch surely harvests. */
  other = spawn_exit(1);
  SP_ASSERT_OK(sigport_watch_child(other, record, NULL));
  run_until(1);
  ck_assert_int_eq(got.n, 1);
  ck_assert_int_eq(got.st[0].pid, other);
  ck_assert(unreaped(pid));
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status));
  ck_assert_int_eq(WTERMSIG(status), SIGKILL);
}
END_TEST

/* Reaped, not yet reported, then unwatched: dropped. */
START_TEST(test_unwatch_reaped) {
  pid_t pid = spawn_exit(2), other;
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  wait_ended(pid);
  got.result = 11;
  other = spawn_exit(3);
  SP_ASSERT_OK(sigport_watch_child(other, record, NULL));
  wait_ended(other);
  /* The first report stops the dispatch; the other is reaped and queued. */
  ck_assert_int_eq(sigport_dispatch(), 11);
  ck_assert_int_eq(got.n, 1);
  SP_ASSERT_OK(sigport_unwatch_child(got.st[0].pid == pid ? other : pid));
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(got.n, 1);
}
END_TEST

/* A callback's non-zero result is the dispatch's; the next dispatch
   reports the rest. */
START_TEST(test_callback_result) {
  pid_t a = spawn_exit(1), b = spawn_exit(2);
  SP_ASSERT_OK(sigport_watch_child(a, record, NULL));
  SP_ASSERT_OK(sigport_watch_child(b, record, NULL));
  wait_ended(a);
  wait_ended(b);
  got.result = SIGPORT_EUSER - 1;
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER - 1);
  ck_assert_int_eq(got.n, 1);
  ck_assert_int_eq(sigport_pending(), 1);
  {
    /* A loop that sleeps on the child fd is woken for the rest. */
    struct pollfd p;
    p.fd = (int)sigport_child_fd();
    p.events = POLLIN;
    ck_assert_int_eq(poll(&p, 1, 0), 1);
  }
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER - 1);
  ck_assert_int_eq(got.n, 2);
  ck_assert_int_eq(reports_of(a), 1);
  ck_assert_int_eq(reports_of(b), 1);
  ck_assert_int_eq(sigport_pending(), 0);
}
END_TEST

/* SIGPORT_CHILD_ANY: every child no watch names, each once; a named one
   to its own watch. */
static int record_any(const sigport_child_status_t *st, void *arg) {
  (void)arg;
  return record(st, &got);
}

START_TEST(test_any) {
  pid_t named = spawn_exit(1), b = spawn_exit(2), c = spawn_exit(3);
  pid_t alive = spawn_paused();
  int status;
  SP_ASSERT_OK(sigport_watch_child(named, record, NULL));
  SP_ASSERT_OK(sigport_watch_child(SIGPORT_CHILD_ANY, record_any, NULL));
  SP_ASSERT_FAILS(sigport_watch_child(SIGPORT_CHILD_ANY, record_any, NULL),
                  SIGPORT_EVALUE, "SIGPORT_CHILD_ANY is watched already");
  run_until(3);
  ck_assert_int_eq(got.n, 3);
  ck_assert_int_eq(report_of(named)->code, 1);
  ck_assert_int_eq(report_of(b)->code, 2);
  ck_assert_int_eq(report_of(c)->code, 3);
  {
    int i;
    for (i = 0; i < got.n; i++)
      ck_assert_ptr_eq(got.arg[i], got.st[i].pid == named ? NULL : &got);
  }
  /* The one still running is left alone, and is the ANY watch's later. */
  ck_assert_int_eq(waitpid(alive, &status, WNOHANG), 0);
  kill(alive, SIGTERM);
  run_until(4);
  ck_assert_int_eq(report_of(alive)->signo, SIGTERM);
  SP_ASSERT_OK(sigport_unwatch_child(SIGPORT_CHILD_ANY));
  SP_ASSERT_FAILS(sigport_unwatch_child(SIGPORT_CHILD_ANY), SIGPORT_EVALUE,
                  "SIGPORT_CHILD_ANY is not watched");
}
END_TEST

/* The child fd sleeps until a watched child ends, wakes, and is empty
   again after the dispatch. */
START_TEST(test_child_fd) {
  struct pollfd p;
  pid_t pid = spawn_paused();
  p.fd = (int)sigport_child_fd();
  p.events = POLLIN;
  ck_assert_int_ge(p.fd, 0);
  ck_assert_int_eq((int)sigport_child_fd(), p.fd);
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  ck_assert_int_eq(poll(&p, 1, 0), 0);
  kill(pid, SIGKILL);
  {
    /* SIGCHLD's handler may interrupt the poll: then it goes on. */
    int rc;
    while ((rc = poll(&p, 1, 30000)) < 0 && errno == EINTR) {
    }
    ck_assert_int_eq(rc, 1);
  }
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(got.n, 1);
  p.revents = 0;
  ck_assert_int_eq(poll(&p, 1, 0), 0);
}
END_TEST

/* The child fd readable before any SIGCHLD came (the kernel wakes a
   pidfd's pollers before it signals the parent; here SIGCHLD is held
   back by the mask): the dispatch a loop makes then reports the child,
   and the late SIGCHLD reports nothing twice. The fallback hears of ends
   through SIGCHLD only: there the fd stays quiet until it comes. */
START_TEST(test_fd_before_sigchld) {
  sigset_t chld, old;
  struct pollfd p;
  pid_t pid = spawn_paused();
  int rc;
  p.fd = (int)sigport_child_fd();
  p.events = POLLIN;
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ck_assert_int_eq(sigprocmask(SIG_BLOCK, &chld, &old), 0);
  kill(pid, SIGKILL);
  wait_ended(pid);
  ck_assert_int_eq(sigport_pending(), 0);
  rc = poll(&p, 1, fallback_forced() ? 0 : 30000);
  if (fallback_forced()) {
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sigport_dispatch(), 0);
    ck_assert_int_eq(got.n, 0);
  } else {
    ck_assert_int_eq(rc, 1);
    ck_assert_int_eq(sigport_dispatch(), 0);
    ck_assert_int_eq(got.n, 1);
    ck_assert_int_eq(report_of(pid)->signo, SIGKILL);
    p.revents = 0;
    ck_assert_int_eq(poll(&p, 1, 0), 0);
  }
  /* The SIGCHLD now: the trip runs, and a dispatch reports it once. */
  ck_assert_int_eq(sigprocmask(SIG_SETMASK, &old, NULL), 0);
  ck_assert_int_eq(sigport_pending(), 1);
  ck_assert_int_eq(sigport_dispatch(), 0);
  ck_assert_int_eq(got.n, 1);
  ck_assert_int_eq(report_of(pid)->signo, SIGKILL);
}
END_TEST

/* The path in use: a pidfd per watched child, or none in the fallback. */
START_TEST(test_path) {
  pid_t a = spawn_paused(), b = spawn_paused();
  int before = count_fds(PIDFD);
  SP_ASSERT_OK(sigport_watch_child(a, record, NULL));
  SP_ASSERT_OK(sigport_watch_child(b, record, NULL));
  ck_assert_int_eq(count_fds(PIDFD) - before, fallback_forced() ? 0 : 2);
  SP_ASSERT_OK(sigport_unwatch_child(a));
  ck_assert_int_eq(count_fds(PIDFD) - before, fallback_forced() ? 0 : 1);
  kill(a, SIGKILL);
  kill(b, SIGKILL);
  run_until(1);
  ck_assert_int_eq(count_fds(PIDFD) - before, 0);
  ck_assert_int_eq(waitpid(a, NULL, 0), a);
}
END_TEST

/* A fork() child, forked while a report is due, has no child watches,
   and none of their descriptors. */
START_TEST(test_fork) {
  pid_t a = spawn_paused(), b = spawn_exit(5), f;
  int status;
  SP_ASSERT_OK(sigport_watch_child(a, record, NULL));
  SP_ASSERT_OK(sigport_watch_child(b, record, NULL));
  wait_ended(b);
  ck_assert_int_eq(sigport_pending(), 1);
  f = fork();
  ck_assert_int_ge(f, 0);
  if (f == 0) {
    int bad = 0;
    if (sigport_dispatch() != 0 || got.n != 0) bad |= 1;
    if (sigport_unwatch_child(a) != SIGPORT_EVALUE) bad |= 2;
    if (count_fds(PIDFD) != 0) bad |= 4;
    if (count_fds("anon_inode:[eventpoll]") != 0) bad |= 8;
    _exit(bad);
  }
  ck_assert_int_eq(waitpid(f, &status, 0), f);
  ck_assert(WIFEXITED(status));
  ck_assert_msg(WEXITSTATUS(status) == 0, "fork child: failed checks 0x%x",
                WEXITSTATUS(status));
  /* The parent's watches go on. */
  run_until(1);
  ck_assert_int_eq(report_of(b)->code, 5);
  kill(a, SIGKILL);
  run_until(2);
  ck_assert_int_eq(report_of(a)->signo, SIGKILL);
}
END_TEST

/* No descriptor left for a pidfd: that child is looked at by pid, and
   every child is still reported. */
START_TEST(test_out_of_descriptors) {
  struct rlimit rl, low;
  pid_t pids[4];
  static int filler[4200];
  int i, fd, top = 0, nfill = 0, pidfds;
  for (i = 0; i < 4; i++) pids[i] = spawn_paused();
  /* The machinery first, then no room for more: every fd below the limit
     taken, but one. */
  ck_assert_int_ge((int)sigport_child_fd(), 0);
  pidfds = count_fds(PIDFD);
  for (fd = 0; fd < 4096; fd++)
    if (fcntl(fd, F_GETFD) != -1) top = fd;
  ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
  low = rl;
  low.rlim_cur = (rlim_t)top + 64;
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
  while (nfill < 4200 && (fd = dup(0)) >= 0) filler[nfill++] = fd;
  ck_assert_int_eq(errno, EMFILE);
  ck_assert_int_gt(nfill, 0);
  close(filler[--nfill]);
  for (i = 0; i < 4; i++)
    SP_ASSERT_OK(sigport_watch_child(pids[i], record, NULL));
  /* One fd back, for the count. */
  close(filler[--nfill]);
  ck_assert_int_eq(count_fds(PIDFD) - pidfds, fallback_forced() ? 0 : 1);
  for (i = 0; i < 4; i++) kill(pids[i], SIGKILL);
  run_until(4);
  for (i = 0; i < 4; i++) ck_assert_int_eq(report_of(pids[i])->signo, SIGKILL);
  ck_assert_int_eq(got.n, 4);
  while (nfill > 0) close(filler[--nfill]);
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}
END_TEST

/* Refused input changes nothing: SIGCHLD's raw disposition, the fds. */
START_TEST(test_refused) {
  struct sigaction before, after;
  int fds_before = count_fds(PIDFD), fd;
  int open_before = 0, open_after = 0;
  pid_t pid = spawn_paused();
  struct sigaction dfl;
  /* Through the C library once, so that its flags (SA_RESTORER) are in
     what is compared. */
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ck_assert_int_eq(sigaction(SIGCHLD, &dfl, NULL), 0);
  for (fd = 0; fd < 1024; fd++) open_before += fcntl(fd, F_GETFD) != -1;
  ck_assert_int_eq(sigaction(SIGCHLD, NULL, &before), 0);
  SP_ASSERT_FAILS(sigport_watch_child(getpid(), record, NULL), SIGPORT_EOS,
                  "is not a child of this process");
  ck_assert_int_eq(sigport_last_oserror(), ECHILD);
  SP_ASSERT_FAILS(sigport_watch_child(1, record, NULL), SIGPORT_EOS,
                  "pid 1 is not a child");
  SP_ASSERT_FAILS(sigport_watch_child(pid, NULL, NULL), SIGPORT_EVALUE,
                  "fn must not be NULL");
  SP_ASSERT_FAILS(sigport_watch_child(0, record, NULL), SIGPORT_EVALUE,
                  "pid 0 is not a process id");
  SP_ASSERT_FAILS(sigport_watch_child(-7, record, NULL), SIGPORT_EVALUE,
                  "pid -7 is not a process id");
  SP_ASSERT_FAILS(sigport_unwatch_child(pid), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_int_eq(sigaction(SIGCHLD, NULL, &after), 0);
  ck_assert(after.sa_handler == before.sa_handler);
  ck_assert_int_eq(after.sa_flags, before.sa_flags);
  for (fd = 0; fd < 1024; fd++) open_after += fcntl(fd, F_GETFD) != -1;
  ck_assert_int_eq(open_after, open_before);
  ck_assert_int_eq(count_fds(PIDFD), fds_before);
  /* Watched twice. */
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  {
    char needle[64];
    snprintf(needle, sizeof needle, "pid %d is watched already", (int)pid);
    SP_ASSERT_FAILS(sigport_watch_child(pid, record, NULL), SIGPORT_EVALUE,
                    needle);
  }
  kill(pid, SIGKILL);
  run_until(1);
  ck_assert_int_eq(got.n, 1);
}
END_TEST

/* Another thread starts and watches children while the main thread
   dispatches their ends. */
#define FROM_THREAD 50
static pid_t thread_pids[FROM_THREAD];

static void *start_and_watch(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < FROM_THREAD; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(i);
    thread_pids[i] = pid;
    if (pid < 0 || sigport_watch_child(pid, record, &thread_pids[i]) != 0)
      return (void *)1;
  }
  return NULL;
}

START_TEST(test_watch_from_thread) {
  pthread_t t;
  void *rc;
  int i;
  ck_assert_int_eq(pthread_create(&t, NULL, start_and_watch, NULL), 0);
  run_until(FROM_THREAD);
  ck_assert_int_eq(pthread_join(t, &rc), 0);
  ck_assert_ptr_null(rc);
  for (i = 0; i < FROM_THREAD; i++) {
    ck_assert_int_eq(reports_of(thread_pids[i]), 1);
    ck_assert_int_eq(report_of(thread_pids[i])->code, i);
  }
}
END_TEST

/* Before sigport_init(), and after the last shutdown. */
START_TEST(test_not_initialised) {
  pid_t pid = spawn_paused();
  SP_ASSERT_FAILS(sigport_watch_child(pid, record, NULL), SIGPORT_EVALUE,
                  "not initialised");
  SP_ASSERT_FAILS(sigport_unwatch_child(pid), SIGPORT_EVALUE,
                  "not initialised");
  ck_assert_int_eq((int)sigport_child_fd(), (int)SIGPORT_NO_SOCKET);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_watch_child(pid, record, NULL));
  sigport_shutdown();
  /* Dropped without reaping, SIGCHLD given back. */
  {
    struct sigaction sa;
    ck_assert_int_eq(sigaction(SIGCHLD, NULL, &sa), 0);
    ck_assert(!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_DFL);
  }
  ck_assert_int_eq(count_fds(PIDFD), 0);
  kill(pid, SIGKILL);
  ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
  ck_assert_int_eq(got.n, 0);
}
END_TEST

static void reset_got(void) { memset(&got, 0, sizeof got); }

static void setup_all(void) {
  reset_got();
  setup();
}

Suite *sp_suite_child(void) {
  Suite *s = suite_create("child");
  TCase *tc = tcase_create("child");
  TCase *bare = tcase_create("bare");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup_all, teardown);
  tcase_add_loop_test(tc, test_statuses, 0, N_ENDS);
  tcase_add_test(tc, test_no_stealing);
  tcase_add_test(tc, test_lost);
  tcase_add_test(tc, test_thousand_at_once);
  tcase_add_test(tc, test_already_ended);
  tcase_add_test(tc, test_sigchld_handler_too);
  tcase_add_test(tc, test_unwatch);
  tcase_add_test(tc, test_unwatch_reaped);
  tcase_add_test(tc, test_callback_result);
  tcase_add_test(tc, test_any);
  tcase_add_test(tc, test_child_fd);
  tcase_add_test(tc, test_fd_before_sigchld);
  tcase_add_test(tc, test_path);
  tcase_add_test(tc, test_fork);
  tcase_add_test(tc, test_out_of_descriptors);
  tcase_add_test(tc, test_refused);
  sp_tcase_add_thread_test(tc, test_watch_from_thread);
  suite_add_tcase(s, tc);
  tcase_add_checked_fixture(bare, reset_got, NULL);
  tcase_add_test(bare, test_not_initialised);
  suite_add_tcase(s, bare);
  return s;
}
