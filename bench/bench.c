/*
 * bench.c: the workloads, written once for every peer.
 *
 *   roundtrip N   kill(getpid(), SIGUSR1), then turn the peer's loop until
 *                 the handler ran; nanoseconds per signal.
 *   ir N          the same under callgrind: dumps the cost of N iterations
 *                 of a baseline loop (kill(pid, 0)) and of N round trips.
 *   latency N     a child pings SIGUSR1 N times while this process sleeps in
 *                 the peer's loop; from the child's stamp to the handler.
 *   burst N       a child sends N SIGUSR1 and then SIGUSR2 as an end marker
 *                 (repeated every 10 ms until this process saw it).
 *   rtburst N     a child sends N sigqueue(SIGRTMIN), then SIGRTMIN+1.
 *   idle SECONDS  the cost of a non-blocking loop turn with nothing pending.
 */
#include "bench.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#define MAXSIG 65

/* What the application's handler saw, per signal. */
static volatile unsigned long calls[MAXSIG];
static volatile unsigned long coalesced[MAXSIG];
static volatile int end_seen;

static void count_cb(int signum, unsigned long n) {
  calls[signum]++;
  coalesced[signum] += n;
}

static void end_cb(int signum, unsigned long n) {
  (void)signum;
  (void)n;
  end_seen = 1;
}

int64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_row(const char *workload, const char *peer, const char *metric,
               double value, const char *unit) {
  printf("%s\t%s\t%s\t%.6g\t%s\n", workload, peer, metric, value, unit);
  fflush(stdout);
}

void bench_die(const char *what) {
  fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
  exit(2);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* A chunk size for fn that takes about 10 ms. */
static long calibrate(void (*fn)(void *arg, long n), void *arg) {
  long n = 64;
  for (;;) {
    int64_t t0 = bench_now_ns(), dt;
    fn(arg, n);
    dt = bench_now_ns() - t0;
    if (dt >= 10000000 || n >= (1L << 40)) return n;
    n *= 2;
  }
}

static double time_chunk(void (*fn)(void *arg, long n), void *arg, long n) {
  int64_t t0 = bench_now_ns();
  fn(arg, n);
  return (double)(bench_now_ns() - t0) / (double)n;
}

double bench_time_per_iter(void (*fn)(void *arg, long n), void *arg,
                           double seconds) {
  double rates[256];
  int nrates = 0;
  long n = calibrate(fn, arg);
  int64_t end = bench_now_ns() + (int64_t)(seconds * 1e9);
  do {
    rates[nrates++] = time_chunk(fn, arg, n);
  } while (bench_now_ns() < end && nrates < 256);
  qsort(rates, (size_t)nrates, sizeof rates[0], cmp_double);
  return rates[nrates / 2];
}

void bench_time_pair(void (*fa)(void *arg, long n),
                     void (*fb)(void *arg, long n), double seconds, double *a,
                     double *b) {
  double ra[128], rb[128];
  int nr = 0;
  long na = calibrate(fa, NULL), nb = calibrate(fb, NULL);
  int64_t end = bench_now_ns() + (int64_t)(seconds * 1e9);
  do {
    ra[nr] = time_chunk(fa, NULL, na);
    rb[nr] = time_chunk(fb, NULL, nb);
    nr++;
  } while (bench_now_ns() < end && nr < 128);
  qsort(ra, (size_t)nr, sizeof ra[0], cmp_double);
  qsort(rb, (size_t)nr, sizeof rb[0], cmp_double);
  *a = ra[nr / 2];
  *b = rb[nr / 2];
}

static volatile sig_atomic_t bench_flag;

void bench_flag_reads(void *arg, long n) {
  long i, hits = 0;
  (void)arg;
  for (i = 0; i < n; i++)
    if (bench_flag) hits++;
  if (hits != 0) bench_flag = 0;
}

/* ------------------------------------------------------------------ */
/* Counting the kernel's deliveries: a handler put in front of the     */
/* peer's own, in the same process.                                    */
/* ------------------------------------------------------------------ */

static struct sigaction chain_old[MAXSIG];
static atomic_ulong chain_n[MAXSIG];

static void chain_handler(int signum, siginfo_t *si, void *ctx) {
  atomic_fetch_add_explicit(&chain_n[signum], 1, memory_order_relaxed);
  if (chain_old[signum].sa_flags & SA_SIGINFO)
    chain_old[signum].sa_sigaction(signum, si, ctx);
  else
    chain_old[signum].sa_handler(signum);
}

static int chain_install(int signum) {
  struct sigaction sa;
  if (sigaction(signum, NULL, &chain_old[signum]) != 0) return -1;
  if (!(chain_old[signum].sa_flags & SA_SIGINFO) &&
      (chain_old[signum].sa_handler == SIG_DFL ||
       chain_old[signum].sa_handler == SIG_IGN))
    return -1;
  sa = chain_old[signum];
  sa.sa_sigaction = chain_handler;
  sa.sa_flags |= SA_SIGINFO;
  return sigaction(signum, &sa, NULL);
}

static void chain_remove(int signum) {
  sigaction(signum, &chain_old[signum], NULL);
}

/* ------------------------------------------------------------------ */
/* The pinger                                                          */
/* ------------------------------------------------------------------ */

static void sleep_us(long us) {
  struct timespec ts;
  ts.tv_sec = us / 1000000;
  ts.tv_nsec = (us % 1000000) * 1000;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static int queue(pid_t target, int signum, int value) {
  union sigval v;
  v.sival_int = value;
  while (sigqueue(target, signum, v) != 0) {
    if (errno != EAGAIN) return -1;
    sleep_us(10); /* the receiver's queue is full: let it catch up */
  }
  return 0;
}

int bench_pinger(int mode, struct bench_shared *shm, pid_t target, long n,
                 int ack_fd, long gap_us) {
  sigset_t all;
  char byte;
  long i;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  if (mode == PING_LATENCY) {
    for (i = 0; i < n; i++) {
      if (read(ack_fd, &byte, 1) != 1) return 1;
      sleep_us(gap_us);
      shm->stamp = bench_now_ns();
      if (kill(target, SIGUSR1) != 0) return 2;
      shm->sent++;
    }
    /* The last ping's acknowledgement: the receiver never writes to a
       closed pipe. */
    return read(ack_fd, &byte, 1) == 1 ? 0 : 1;
  }
  if (read(ack_fd, &byte, 1) != 1) return 1;
  for (i = 0; i < n; i++) {
    if (mode == PING_BURST ? kill(target, SIGUSR1) == 0
                           : queue(target, SIGRTMIN, (int)i) == 0)
      shm->sent++;
    else if (mode == PING_RTBURST)
      return 3;
  }
  /* The end marker, again every 10 ms until the receiver says it saw it:
     a peer that drops deliveries may drop the marker too. */
  for (;;) {
    struct pollfd p;
    if (mode == PING_BURST ? kill(target, SIGUSR2) != 0
                           : queue(target, SIGRTMIN + 1, -1) != 0)
      return 2;
    p.fd = ack_fd;
    p.events = POLLIN;
    if (poll(&p, 1, 10) > 0) return 0;
  }
}

/* Starts the pinger in a child: its pid; *ack gets the write end. */
static pid_t start_pinger(int mode, struct bench_shared *shm, long n,
                          long gap_us, int *ack) {
  int fds[2];
  pid_t parent = getpid(), pid;
  if (pipe(fds) != 0) bench_die("pipe");
  pid = fork();
  if (pid < 0) bench_die("fork");
  if (pid == 0) {
    close(fds[1]);
    _exit(bench_pinger(mode, shm, parent, n, fds[0], gap_us));
  }
  close(fds[0]);
  *ack = fds[1];
  return pid;
}

static void wait_pinger(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench: the pinger failed (status 0x%x)\n", status);
    exit(2);
  }
}

static struct bench_shared *map_shared(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                 -1, 0);
  if (p == MAP_FAILED) bench_die("mmap");
  return p;
}

/* ------------------------------------------------------------------ */
/* Workloads                                                           */
/* ------------------------------------------------------------------ */

static void watch_or_die(const struct bench_peer *peer, int signum,
                         bench_cb cb) {
  if (peer->watch(signum, cb) != 0) {
    fprintf(stderr, "bench: %s cannot handle signal %d\n", peer->name,
            signum);
    exit(2);
  }
}

static void round_trips(const struct bench_peer *peer, pid_t pid, long n) {
  long i;
  for (i = 0; i < n; i++) {
    unsigned long before = calls[SIGUSR1];
    kill(pid, SIGUSR1);
    while (calls[SIGUSR1] == before) peer->turn(1);
  }
}

static void check_calls(const struct bench_peer *peer, unsigned long want) {
  if (calls[SIGUSR1] != want) {
    fprintf(stderr, "bench: %s: %lu handler calls, expected %lu\n",
            peer->name, calls[SIGUSR1], want);
    exit(2);
  }
}

static void roundtrip(const struct bench_peer *peer, long n) {
  pid_t pid = getpid();
  int64_t t0, t1;
  long warm = n / 10 + 100;
  watch_or_die(peer, SIGUSR1, count_cb);
  round_trips(peer, pid, warm);
  t0 = bench_now_ns();
  round_trips(peer, pid, n);
  t1 = bench_now_ns();
  check_calls(peer, (unsigned long)(warm + n));
  bench_row("roundtrip", peer->name, "time", (double)(t1 - t0) / (double)n,
            "ns");
}

static void ir(const struct bench_peer *peer, long n) {
  pid_t pid = getpid();
  long i;
  volatile long sink = 0;
  watch_or_die(peer, SIGUSR1, count_cb);
  round_trips(peer, pid, 200);
  CALLGRIND_DUMP_STATS_AT("warmup");
  for (i = 0; i < n; i++) {
    unsigned long before = calls[SIGUSR1];
    kill(pid, 0);
    if (calls[SIGUSR1] != before) sink++;
  }
  CALLGRIND_DUMP_STATS_AT("baseline");
  round_trips(peer, pid, n);
  CALLGRIND_DUMP_STATS_AT("roundtrip");
  check_calls(peer, (unsigned long)(200 + n));
  bench_row("ir", peer->name, "iterations", (double)n, "");
}

static struct bench_shared *lat_shm;
static int64_t *lat;
static volatile long nlat;
static long maxlat;
static int lat_ack;

static void latency_cb(int signum, unsigned long n) {
  int64_t now = bench_now_ns();
  ssize_t w;
  (void)signum;
  (void)n;
  if (nlat < maxlat) lat[nlat] = now - lat_shm->stamp;
  nlat++;
  w = write(lat_ack, "x", 1);
  (void)w;
}

static void latency(const struct bench_peer *peer, long n) {
  long warm = n / 10 + 10, i;
  pid_t child;
  int64_t *sorted;
  ssize_t w;
  lat_shm = map_shared();
  maxlat = n + warm;
  lat = calloc((size_t)maxlat, sizeof *lat);
  if (lat == NULL) bench_die("calloc");
  watch_or_die(peer, SIGUSR1, latency_cb);
  child = start_pinger(PING_LATENCY, lat_shm, maxlat, 50, &lat_ack);
  w = write(lat_ack, "x", 1);
  (void)w;
  while (nlat < maxlat) peer->turn(1);
  wait_pinger(child);
  close(lat_ack);
  sorted = lat + warm;
  qsort(sorted, (size_t)n, sizeof *sorted, cmp_i64);
  for (i = 0; i < n && sorted[i] <= 0; i++) {
  }
  if (i > 0) {
    fprintf(stderr, "bench: %s: %ld latencies not positive\n", peer->name, i);
    exit(2);
  }
  bench_row("latency", peer->name, "median", (double)sorted[n / 2], "ns");
  bench_row("latency", peer->name, "p99", (double)sorted[n * 99 / 100], "ns");
  bench_row("latency", peer->name, "samples", (double)n, "");
}

static void settle(const struct bench_peer *peer, int signum) {
  int64_t start = bench_now_ns(), quiet = start;
  unsigned long last = calls[signum] + coalesced[signum];
  while (bench_now_ns() - quiet < 20000000 &&
         bench_now_ns() - start < 1000000000) {
    unsigned long now;
    peer->turn(0);
    now = calls[signum] + coalesced[signum];
    if (now != last) {
      last = now;
      quiet = bench_now_ns();
    }
  }
}

static void burst(const struct bench_peer *peer, int mode, long n) {
  const char *workload = mode == PING_BURST ? "burst" : "rtburst";
  int sig = mode == PING_BURST ? SIGUSR1 : SIGRTMIN;
  int end = mode == PING_BURST ? SIGUSR2 : SIGRTMIN + 1;
  int chained;
  struct bench_shared *shm = map_shared();
  int ack;
  pid_t child;
  int64_t t0, t1;
  unsigned long deliveries;
  ssize_t w;
  if (peer->watch(sig, count_cb) != 0 || peer->watch(end, end_cb) != 0) {
    bench_row(workload, peer->name, "unsupported", 1, "");
    return;
  }
  chained = peer->has_handler && chain_install(sig) == 0;
  if (peer->has_handler && !chained) bench_die("chain_install");
  child = start_pinger(mode, shm, n, 0, &ack);
  t0 = bench_now_ns();
  w = write(ack, "x", 1);
  (void)w;
  while (!end_seen) peer->turn(1);
  w = write(ack, "x", 1);
  settle(peer, sig);
  t1 = bench_now_ns();
  wait_pinger(child);
  close(ack);
  if (chained) chain_remove(sig);
  deliveries = chained ? atomic_load(&chain_n[sig]) : coalesced[sig];
  bench_row(workload, peer->name, "sent", (double)shm->sent, "");
  bench_row(workload, peer->name, "deliveries", (double)deliveries, "");
  bench_row(workload, peer->name, "callbacks", (double)calls[sig], "");
  if (peer->reports_coalesced)
    bench_row(workload, peer->name, "reported", (double)coalesced[sig], "");
  bench_row(workload, peer->name, "time", (double)(t1 - t0) / 1e6, "ms");
}

static const struct bench_peer *idle_peer;

static void idle_turns(void *arg, long n) {
  long i;
  (void)arg;
  for (i = 0; i < n; i++) idle_peer->turn(0);
}

static void idle(const struct bench_peer *peer, double seconds) {
  double ns;
  watch_or_die(peer, SIGUSR1, count_cb);
  idle_peer = peer;
  ns = bench_time_per_iter(idle_turns, NULL, seconds);
  bench_row("idle", peer->name, peer->turn_name, ns, "ns");
  if (peer->idle_extra != NULL) peer->idle_extra(seconds);
  if (calls[SIGUSR1] != 0) {
    fprintf(stderr, "bench: %s: a handler ran while idle\n", peer->name);
    exit(2);
  }
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s roundtrip|ir|latency|burst|rtburst N | idle SECONDS\n",
          argv0);
  exit(2);
}

int bench_main(const struct bench_peer *peer, int argc, char **argv) {
  const char *workload;
  double arg;
  if (argc != 3) usage(argv[0]);
  workload = argv[1];
  arg = atof(argv[2]);
  if (arg <= 0) usage(argv[0]);
  /* A stuck workload ends the program instead of hanging the run. */
  alarm(120);
  if (peer->init() != 0) {
    fprintf(stderr, "bench: %s: init failed\n", peer->name);
    return 2;
  }
  if (strcmp(workload, "roundtrip") == 0)
    roundtrip(peer, (long)arg);
  else if (strcmp(workload, "ir") == 0)
    ir(peer, (long)arg);
  else if (strcmp(workload, "latency") == 0)
    latency(peer, (long)arg);
  else if (strcmp(workload, "burst") == 0)
    burst(peer, PING_BURST, (long)arg);
  else if (strcmp(workload, "rtburst") == 0)
    burst(peer, PING_RTBURST, (long)arg);
  else if (strcmp(workload, "idle") == 0)
    idle(peer, arg);
  else
    usage(argv[0]);
  peer->fini();
  return 0;
}
