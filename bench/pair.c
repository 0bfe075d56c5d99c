/*
 * pair.c: self round trips of the floor, the self-pipe trick and sigport,
 * in one process, in rotating chunks, so that a change in the machine's
 * speed falls on all of them alike.
 *
 *   bench_pair CHUNKS N
 *
 * The arms, each on a signal of its own:
 *   raw          SIGUSR2: a sigaction() handler sets a sig_atomic_t flag;
 *                kill(getpid()), then the flag is read inline.
 *   raw+flags    SIGURG: the same, installed with the flags and mask that
 *                sigport uses (SA_SIGINFO, SA_ONSTACK, every signal
 *                blocked in the handler): the kernel's share.
 *   sigport      SIGUSR1: kill, then sigport_dispatch(); no wakeup fd.
 *   self-pipe    SIGWINCH: the handler writes a byte to a pipe; kill, then
 *                poll() the pipe, read it, run the handler.
 *   sigport-pipe SIGUSR1 with a pipe as sigport's wakeup fd (set for the
 *                chunk): kill, poll(), read, sigport_dispatch().
 *   sigport-fd   the same with sigport_socketpair().
 * Each chunk is N round trips of one arm.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "sigport.h"

static volatile sig_atomic_t flag;
static volatile unsigned long calls;
static int selfpipe[2], wake_pipe[2];
static sigport_socket_t wake_sock[2];

static void raw_handler(int signum) {
  (void)signum;
  flag = 1;
}

static void info_handler(int signum, siginfo_t *si, void *ctx) {
  (void)signum;
  (void)si;
  (void)ctx;
  flag = 1;
}

static void pipe_handler(int signum) {
  int saved = errno;
  unsigned char byte = (unsigned char)signum;
  ssize_t n = write(selfpipe[1], &byte, 1);
  (void)n;
  errno = saved;
}

static int sp_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  calls++;
  return 0;
}

/* Waits for fd to be readable and empties it. */
static void poll_drain(int fd) {
  struct pollfd p;
  char buf[256];
  ssize_t n;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  n = read(fd, buf, sizeof buf);
  (void)n;
}

enum { RAW, FLAGS, SIGPORT, SELFPIPE, SIGPORT_PIPE, SIGPORT_FD, NARMS };
static const char *const arm_name[NARMS] = {
    "raw", "raw+flags", "sigport", "self-pipe", "sigport-pipe", "sigport-fd"};

static double run_arm(int arm, pid_t pid, long n) {
  int64_t t0;
  long i;
  if (arm == SIGPORT_PIPE)
    sigport_set_wakeup_fd(wake_pipe[1], SIGPORT_WAKEUP_NO_WARN, NULL);
  if (arm == SIGPORT_FD)
    sigport_set_wakeup_fd(wake_sock[1], SIGPORT_WAKEUP_NO_WARN, NULL);
  t0 = bench_now_ns();
  for (i = 0; i < n; i++) {
    switch (arm) {
      case RAW:
      case FLAGS:
        kill(pid, arm == RAW ? SIGUSR2 : SIGURG);
        if (flag) {
          flag = 0;
          calls++;
        }
        break;
      case SIGPORT:
        kill(pid, SIGUSR1);
        sigport_dispatch();
        break;
      case SELFPIPE:
        kill(pid, SIGWINCH);
        poll_drain(selfpipe[0]);
        calls++;
        break;
      default:
        kill(pid, SIGUSR1);
        poll_drain(arm == SIGPORT_PIPE ? wake_pipe[0] : wake_sock[0]);
        sigport_dispatch();
        break;
    }
  }
  t0 = bench_now_ns() - t0;
  if (arm == SIGPORT_PIPE || arm == SIGPORT_FD)
    sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  return (double)t0 / (double)n;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  return v[n / 2];
}

static int setup(void) {
  struct sigaction sa;
  sa.sa_handler = raw_handler;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGUSR2, &sa, NULL) != 0) return -1;
  sa.sa_handler = pipe_handler;
  sa.sa_flags = SA_RESTART;
  if (sigaction(SIGWINCH, &sa, NULL) != 0) return -1;
  sa.sa_sigaction = info_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  if (sigaction(SIGURG, &sa, NULL) != 0) return -1;
  if (pipe2(selfpipe, O_NONBLOCK | O_CLOEXEC) != 0 ||
      pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
    return -1;
  if (sigport_init(0) != 0 || sigport_socketpair(wake_sock) != 0 ||
      sigport_signal(SIGUSR1, sp_handler, NULL, NULL) != 0)
    return -1;
  return 0;
}

int main(int argc, char **argv) {
  pid_t pid = getpid();
  int chunks, c, a;
  long n;
  unsigned long want;
  double *t[NARMS], *ratio[NARMS], *vs_pipe[NARMS];
  if (argc != 3 || (chunks = atoi(argv[1])) <= 0 || (n = atol(argv[2])) <= 0) {
    fprintf(stderr, "usage: %s CHUNKS N\n", argv[0]);
    return 2;
  }
  for (a = 0; a < NARMS; a++) {
    t[a] = calloc((size_t)chunks, sizeof *t[a]);
    ratio[a] = calloc((size_t)chunks, sizeof *ratio[a]);
    vs_pipe[a] = calloc((size_t)chunks, sizeof *vs_pipe[a]);
    if (t[a] == NULL || ratio[a] == NULL || vs_pipe[a] == NULL) return 2;
  }
  if (setup() != 0) {
    fprintf(stderr, "bench_pair: setup failed: %s\n", sigport_last_error());
    return 2;
  }
  for (a = 0; a < NARMS; a++) run_arm(a, pid, n / 10 + 1);
  calls = 0;
  for (c = 0; c < chunks; c++) {
    /* Which arm goes first rotates too. */
    for (a = 0; a < NARMS; a++) {
      int arm = (a + c) % NARMS;
      t[arm][c] = run_arm(arm, pid, n);
    }
    for (a = 0; a < NARMS; a++) {
      ratio[a][c] = t[a][c] / t[RAW][c];
      vs_pipe[a][c] = t[a][c] / t[SELFPIPE][c];
    }
  }
  want = (unsigned long)chunks * (unsigned long)n * NARMS;
  if (calls != want) {
    fprintf(stderr, "bench_pair: %lu handler calls, expected %lu\n", calls,
            want);
    return 2;
  }
  for (a = 0; a < NARMS; a++) {
    bench_row("pair", arm_name[a], "time", median(t[a], chunks), "ns");
    bench_row("pair", arm_name[a], "ratio", median(ratio[a], chunks), "");
    bench_row("pair", arm_name[a], "ratio p10", ratio[a][chunks / 10], "");
    bench_row("pair", arm_name[a], "ratio p90", ratio[a][chunks * 9 / 10],
              "");
  }
  /* The wakeup paths against the self-pipe trick, chunk by chunk. */
  for (a = SIGPORT_PIPE; a <= SIGPORT_FD; a++)
    bench_row("pair", arm_name[a], "vs self-pipe", median(vs_pipe[a], chunks),
              "");
  sigport_shutdown();
  return 0;
}
