/*
 * helpers.c: handlers and clocks the suites share.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>
#endif

int sp_test_under_valgrind(void) {
  const char *v = getenv("SIGPORT_TEST_RELAXED");
  return v != NULL && strcmp(v, "valgrind") == 0;
}

int sp_test_under_qemu(void) {
  const char *emulator = getenv("SIGPORT_TEST_EMULATOR");
  return emulator != NULL && strstr(emulator, "qemu") != NULL;
}

int sp_test_qemu_limit(enum sp_qemu_limit limit, const char *what) {
  static const char *said[32];
  static size_t nsaid;
  const char *emulator = getenv("SIGPORT_TEST_EMULATOR");
  const char *why = "";
  size_t i;
  if (!sp_test_under_qemu()) return 0;
  switch (limit) {
    case SP_QEMU_PROC_STATUS:
      why = "/proc/PID/status of an emulated process shows qemu's own "
            "dispositions";
      break;
    case SP_QEMU_HIGH_RT:
      why = "qemu keeps signals 63 and 64 for itself and has none above, "
            "the guest cannot block them";
      break;
    case SP_QEMU_MIPS_EINTR:
      if (strstr(emulator, "qemu-mips") == NULL) return 0;
      why = "qemu-mips may restart a read() that a handler without "
            "SA_RESTART interrupted, when the machine is loaded";
      break;
    case SP_QEMU_I386_THREADS:
      if (strstr(emulator, "qemu-i386") == NULL) return 0;
      why = "threads misbehave under qemu-i386 (pthread_join fails with "
            "EDEADLK, the main thread is not always recognised)";
      break;
  }
  for (i = 0; i < nsaid; i++)
    if (said[i] == what) return 1;
  if (nsaid < sizeof said / sizeof said[0]) said[nsaid++] = what;
  printf("SKIPPED under qemu-user (%s): %s: %s\n", emulator, what, why);
  fflush(stdout);
  return 1;
}

void sp_assert_eintr(long n, int err) {
  if (n == 1 && sp_test_qemu_limit(SP_QEMU_MIPS_EINTR,
                                   "read() not interrupted by a handler "
                                   "without SA_RESTART"))
    return; /* restarted, and the byte read */
  ck_assert_int_eq(n, -1);
  ck_assert_int_eq(err, EINTR);
}

void sp_tcase_add_thread_loop_test(TCase *tc, const TTest *t, int start,
                                   int end) {
  if (sp_test_qemu_limit(SP_QEMU_I386_THREADS, t->name)) return;
  tcase_add_loop_test(tc, t, start, end);
}

int sp_order[64];
int sp_norder;

int sp_count_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  struct sp_counter *c = arg;
  (void)signum;
  c->calls++;
  c->total += info->count;
  c->last = *info;
  return c->result;
}

int sp_order_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)info;
  (void)arg;
  if (sp_norder < 64) sp_order[sp_norder++] = signum;
  return 0;
}

#if defined(_WIN32)
double sp_now_ms(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}
#endif

void sp_sleep_ms(int ms) {
#if defined(_WIN32)
  Sleep((DWORD)ms);
#else
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
#endif
}

#if !defined(_WIN32)
sigport_sigset_t sp_set_of(int signum) {
  sigport_sigset_t set;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, signum);
  return set;
}

int sp_raw_is_default(int signum) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_DFL;
}

int sp_fd_readable(int fd) {
  struct pollfd p;
  int rc;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  do rc = poll(&p, 1, 0);
  while (rc < 0 && errno == EINTR);
  return rc == 1 && (p.revents & POLLIN);
}

void sp_queue_self(int signum, int value) {
  union sigval v;
  memset(&v, 0, sizeof v);
  v.sival_int = value;
  ck_assert_int_eq(sigqueue(getpid(), signum, v), 0);
}

ssize_t sp_read_byte(int fd, char *c) {
  ssize_t n;
  do n = read(fd, c, 1);
  while (n < 0 && errno == EINTR);
  return n;
}

void *sp_storm_sender(void *arg) {
  struct sp_storm *st = arg;
  char c = 'd';
  int i;
  /* The deliveries go to the other threads. */
  sigport_thread_block(NULL);
  for (i = 0; i < st->sends; i++) {
    union sigval v;
    memset(&v, 0, sizeof v);
    v.sival_int = i;
    if (sigqueue(getpid(), st->signum, v) != 0) {
      st->failed = errno;
      break;
    }
  }
  if (write(st->done_fd, &c, 1) != 1) st->failed = errno;
  return NULL;
}

void sp_fork_expect_given_back(int signum, int fd) {
  int status;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    struct sigaction sa;
    if (sigaction(signum, NULL, &sa) != 0) _exit(3);
    if ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_DFL) _exit(4);
    /* The watch's fd is closed in the child. */
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) _exit(5);
    raise(signum);
    _exit(6);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == signum,
                "child status 0x%x", status);
}

int sp_storm_poll(int fd, int done_rd, int *done, int senders) {
  struct pollfd p[2];
  int rc;
  p[0].fd = fd;
  p[0].events = POLLIN;
  p[1].fd = done_rd;
  p[1].events = *done < senders ? POLLIN : 0;
  p[0].revents = p[1].revents = 0;
  rc = poll(p, 2, 30000);
  if (rc < 0) {
    ck_assert_int_eq(errno, EINTR);
    return 0;
  }
  if (rc == 0) return -1;
  if (p[1].revents & POLLIN) {
    char buf[8];
    ssize_t n = read(done_rd, buf, (size_t)(senders - *done));
    if (n > 0) *done += (int)n;
  }
  return (p[0].revents & POLLIN) != 0;
}

void *sp_churner(void *arg) {
  struct sp_churn *ch = arg;
  int i = 0;
  while (!ch->stop) {
    sigport_watch_t *w;
    sigport_siginfo_t info;
    unsigned flags = (i++ & 1) ? SIGPORT_WATCH_QUEUE : 0;
    int rc = ch->share != NULL
                 ? sigport_watch_open_shared(&ch->set, flags, ch->share, &w)
                 : sigport_watch_open(&ch->set, flags, &w);
    if (rc != 0) {
      ch->failed = rc;
      break;
    }
    ch->opened++;
    while (sigport_watch_take(w, &info) > 0) {
    }
    /* Closed with something untaken, at times. */
    rc = sigport_watch_close(w);
    if (rc != 0) {
      ch->failed = rc;
      break;
    }
  }
  return NULL;
}

pid_t sp_start_paced_sender(int signum, int sends, int batch, int *up,
                            int *down) {
  int u[2], d[2], b, k;
  char c = 'b';
  pid_t parent = getpid(), pid;
  ck_assert_int_eq(pipe(u), 0);
  ck_assert_int_eq(pipe(d), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid != 0) {
    close(u[1]);
    close(d[0]);
    *up = u[0];
    *down = d[1];
    return pid;
  }
  close(u[0]);
  close(d[1]);
  for (b = 0; b < sends / batch; b++) {
    for (k = 0; k < batch; k++) {
      union sigval v;
      memset(&v, 0, sizeof v);
      v.sival_int = b * batch + k;
      if (sigqueue(parent, signum, v) != 0) _exit(3);
    }
    if (write(u[1], &c, 1) != 1) _exit(4);
    if (sp_read_byte(d[0], &c) != 1) _exit(5);
  }
  _exit(0);
}

void sp_drain_blocked(void) {
  struct timespec zero = {0, 0};
  sigset_t pending;
  int i, s, any = 1;
  for (i = 0; i < 100000 && any; i++) {
    any = 0;
    if (sigpending(&pending) != 0) return;
    for (s = 1; s < SIGPORT_NSIG; s++) any |= sigismember(&pending, s) == 1;
    if (any && sigtimedwait(&pending, NULL, &zero) < 0) return;
  }
}

#if defined(__linux__)
long sp_thread_id(void) { return (long)syscall(SYS_gettid); }

/* Reads /proc/self/task/TID/NAME into buf, NUL-terminated: its length,
   or -1 with errno set. */
static ssize_t read_task_file(long tid, const char *name, char *buf,
                              size_t size) {
  char path[64];
  ssize_t n;
  int f, err;
  snprintf(path, sizeof path, "/proc/self/task/%ld/%s", tid, name);
  f = open(path, O_RDONLY | O_CLOEXEC);
  if (f < 0) return -1;
  n = read(f, buf, size - 1);
  err = errno;
  close(f);
  if (n < 0) {
    errno = err;
    return -1;
  }
  buf[n] = '\0';
  return n;
}

/* The file reads "running" while the thread runs, and the number and
   arguments of the system call it sleeps in otherwise ("0 0x3 ..." for a
   read() of fd 3 on x86_64). */
/* Under qemu-user the file shows the host's system call, which qemu makes
   for the guest's read() with the guest's own descriptor, under the host's
   number: the number is then not compared, the descriptor still is. */
int sp_wait_blocked_in_read(long tid, int fd) {
  char buf[256];
  const int any_number = sp_test_under_qemu();
  for (;;) {
    long nr;
    unsigned long arg0;
    if (read_task_file(tid, "syscall", buf, sizeof buf) < 0) return -1;
    if (sscanf(buf, "%ld %lx", &nr, &arg0) == 2 &&
        (nr == SYS_read || (any_number && nr >= 0)) &&
        arg0 == (unsigned long)fd)
      return 0;
    sched_yield();
  }
}

/* SigPnd is the thread's own pending set in hexadecimal, signal 1 in the
   lowest bit. */
int sp_wait_delivered(long tid, int signum) {
  char buf[4096];
  for (;;) {
    const char *line;
    unsigned long long pending;
    if (read_task_file(tid, "status", buf, sizeof buf) < 0) return -1;
    line = strstr(buf, "\nSigPnd:");
    if (line == NULL || sscanf(line + 8, "%llx", &pending) != 1) {
      errno = EPROTO;
      return -1;
    }
    if ((pending & (1ULL << (signum - 1))) == 0) return 0;
    sched_yield();
  }
}
#else
long sp_thread_id(void) { return 0; }

int sp_wait_blocked_in_read(long tid, int fd) {
  (void)tid;
  (void)fd;
  errno = ENOSYS;
  return -1;
}

int sp_wait_delivered(long tid, int signum) {
  (void)tid;
  (void)signum;
  errno = ENOSYS;
  return -1;
}
#endif
#endif

#if defined(__linux__)

void sp_wait_until_asleep(long tid) {
  char buf[256];
  for (;;) {
    const char *state;
    /* Check only on failure: a passing assertion takes Check's lock,
       which the thread watched may be waiting for. */
    if (read_task_file(tid, "stat", buf, sizeof buf) <= 0)
      ck_abort_msg("cannot read /proc/self/task/%ld/stat", tid);
    /* "tid (name) S ...": the state follows the last ')'. */
    state = strrchr(buf, ')');
    if (state == NULL) ck_abort_msg("no ')' in task %ld's stat: %s", tid, buf);
    if (state[1] == ' ' && state[2] == 'S') return;
    sched_yield();
  }
}
#endif
