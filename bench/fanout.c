/*
 * fanout.c: the fan-out workload, written once for every peer (fanout.h).
 *
 *   fanout_PEER one|shared|threads N ROUNDS K
 *
 * One signal (SIGUSR1), N consumers of it.
 *   Round trips: ROUNDS times, kill(getpid(), SIGUSR1), then wait until
 *     every consumer has seen it (modes one and shared: turn the peer's
 *     loop; mode threads: sleep on an eventfd that the last consumer to
 *     see it writes). Wall time and CPU time (getrusage, every thread) per
 *     signal. Every consumer must see every signal once.
 *   Burst: K kill(getpid(), SIGUSR1) back to back, without waiting, then
 *     wait until no consumer's count has moved for 20 ms. The kernel's
 *     deliveries are counted by a sigaction handler put in front of the
 *     peer's own; each consumer's count is what it was told. The lowest
 *     and the highest count over the consumers are printed.
 * Under callgrind, the timed round trips are dumped on their own (the
 * second dump), for their user-space instructions.
 * The sending thread is the only one with SIGUSR1 unblocked (the consumer
 * threads start with it blocked, GLib's worker thread blocks every
 * signal), so that every kill is delivered to it before kill() returns:
 * the kernel merges none of the K.
 */
#include "fanout.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "bench.h"

#define SIG SIGUSR1

static atomic_ulong seen[FAN_MAX];
static atomic_ulong total;
static atomic_ulong target;
static atomic_int ready;
static atomic_int stopping;
static int nconsumers;
static int threaded;
static int ack_fd = -1;

void fan_die(const char *what) {
  fprintf(stderr, "fanout: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void ack(void) {
  uint64_t one = 1;
  if (write(ack_fd, &one, sizeof one) != sizeof one) fan_die("write");
}

static void wait_ack(void) {
  uint64_t v;
  while (read(ack_fd, &v, sizeof v) != sizeof v)
    if (errno != EINTR) fan_die("read");
}

void fan_seen(int i, unsigned long count) {
  unsigned long was, want;
  if (count == 0) return;
  atomic_fetch_add_explicit(&seen[i], count, memory_order_relaxed);
  was = atomic_fetch_add_explicit(&total, count, memory_order_acq_rel);
  if (!threaded) return;
  want = atomic_load_explicit(&target, memory_order_acquire);
  if (was < want && was + count >= want) ack();
}

void fan_ready(void) {
  if (atomic_fetch_add(&ready, 1) + 1 == nconsumers) ack();
}

int fan_stopping(void) { return atomic_load(&stopping); }

/* The kernel's deliveries, counted in front of the peer's handler. */
static struct sigaction peer_action;
static atomic_ulong deliveries;

static void counting_handler(int signum, siginfo_t *si, void *ctx) {
  atomic_fetch_add_explicit(&deliveries, 1, memory_order_relaxed);
  if (peer_action.sa_flags & SA_SIGINFO)
    peer_action.sa_sigaction(signum, si, ctx);
  else
    peer_action.sa_handler(signum);
}

static void count_deliveries(int on) {
  struct sigaction sa;
  if (!on) {
    if (sigaction(SIG, &peer_action, NULL) != 0) fan_die("sigaction");
    return;
  }
  if (sigaction(SIG, NULL, &peer_action) != 0) fan_die("sigaction");
  if (!(peer_action.sa_flags & SA_SIGINFO) &&
      (peer_action.sa_handler == SIG_DFL || peer_action.sa_handler == SIG_IGN)) {
    fprintf(stderr, "fanout: the peer installed no handler\n");
    exit(2);
  }
  sa = peer_action;
  sa.sa_sigaction = counting_handler;
  sa.sa_flags |= SA_SIGINFO;
  if (sigaction(SIG, &sa, NULL) != 0) fan_die("sigaction");
}

static int64_t cpu_ns(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
         ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static const struct fan_peer *peer;

static void round_trips(pid_t pid, long n) {
  long i;
  for (i = 0; i < n; i++) {
    unsigned long want =
        atomic_load(&total) + (unsigned long)nconsumers;
    if (threaded) {
      atomic_store(&target, want);
      if (kill(pid, SIG) != 0) fan_die("kill");
      wait_ack();
    } else {
      if (kill(pid, SIG) != 0) fan_die("kill");
      while (atomic_load(&total) < want) peer->turn(-1);
    }
    if (atomic_load(&total) != want) {
      fprintf(stderr, "fanout: %s: %lu seen, expected %lu\n", peer->name,
              atomic_load(&total), want);
      exit(2);
    }
  }
}

/* Until no consumer's count has moved for 20 ms (at most 2 s). */
static void settle(void) {
  int64_t start = bench_now_ns(), quiet = start;
  unsigned long last = atomic_load(&total);
  while (bench_now_ns() - quiet < 20000000 &&
         bench_now_ns() - start < 2000000000) {
    unsigned long now;
    if (threaded)
      sleep_ms(1);
    else
      peer->turn(1);
    now = atomic_load(&total);
    if (now != last) {
      last = now;
      quiet = bench_now_ns();
    }
  }
}

static void *thread_body(void *arg) {
  peer->thread_main((int)(intptr_t)arg, SIG);
  return NULL;
}

static void usage(const char *argv0) {
  fprintf(stderr, "usage: %s one|shared|threads N ROUNDS K\n", argv0);
  exit(2);
}

int fan_main(const struct fan_peer *p, int argc, char **argv) {
  pid_t pid = getpid();
  pthread_t threads[FAN_MAX];
  unsigned long before[FAN_MAX], lo = (unsigned long)-1, hi = 0;
  unsigned long d0, sent = 0;
  long rounds, k, i;
  int64_t t0, c0, t1, c1;
  char name[64];
  int n, shared = 0;
  peer = p;
  if (argc != 5) usage(argv[0]);
  if (strcmp(argv[1], "one") == 0)
    threaded = 0;
  else if (strcmp(argv[1], "shared") == 0)
    shared = 1;
  else if (strcmp(argv[1], "threads") == 0)
    threaded = 1;
  else
    usage(argv[0]);
  n = atoi(argv[2]);
  rounds = atol(argv[3]);
  k = atol(argv[4]);
  if (n < 1 || n > FAN_MAX || rounds < 1 || k < 1) usage(argv[0]);
  nconsumers = n;
  snprintf(name, sizeof name, "%s/%s", p->name, argv[1]);
  alarm(120);
  ack_fd = eventfd(0, EFD_CLOEXEC);
  if (ack_fd < 0) fan_die("eventfd");
  if (p->init() != 0) {
    fprintf(stderr, "fanout: %s: init failed\n", p->name);
    return 2;
  }
  if (threaded) {
    sigset_t block, old;
    if (p->thread_main == NULL) {
      bench_row("fanout", name, "unsupported", 1, "");
      return 0;
    }
    sigemptyset(&block);
    sigaddset(&block, SIG);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    for (i = 0; i < n; i++)
      if (pthread_create(&threads[i], NULL, thread_body, (void *)(intptr_t)i))
        fan_die("pthread_create");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    wait_ack();
  } else if (shared && p->open_shared == NULL) {
    bench_row("fanout", name, "unsupported", 1, "");
    return 0;
  } else if ((shared ? p->open_shared : p->open_all)(SIG, n) != 0) {
    fprintf(stderr, "fanout: %s: cannot open %d consumers\n", p->name, n);
    return 2;
  }

  round_trips(pid, rounds / 10 + 10);
  /* Under callgrind, the round trips alone go to a dump of their own. */
  CALLGRIND_DUMP_STATS_AT("warmup");
  t0 = bench_now_ns();
  c0 = cpu_ns();
  round_trips(pid, rounds);
  c1 = cpu_ns();
  t1 = bench_now_ns();
  CALLGRIND_DUMP_STATS_AT("roundtrips");

  for (i = 0; i < n; i++) before[i] = atomic_load(&seen[i]);
  atomic_store(&target, (unsigned long)-1);
  count_deliveries(1);
  d0 = atomic_load(&deliveries);
  for (i = 0; i < k; i++)
    if (kill(pid, SIG) == 0) sent++;
  settle();
  count_deliveries(0);
  for (i = 0; i < n; i++) {
    unsigned long s = atomic_load(&seen[i]) - before[i];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }

  if (threaded) {
    atomic_store(&stopping, 1);
    kill(pid, SIG);
    for (i = 0; i < n; i++) pthread_join(threads[i], NULL);
  } else {
    p->close_all();
  }
  p->fini();

#define ROW(metric, value, unit)                        \
  do {                                                  \
    char m[64];                                         \
    snprintf(m, sizeof m, "%s@%d", metric, n);          \
    bench_row("fanout", name, m, (double)(value), unit); \
  } while (0)
  ROW("time", (double)(t1 - t0) / (double)rounds, "ns");
  ROW("cpu", (double)(c1 - c0) / (double)rounds, "ns");
  ROW("rounds", rounds, "");
  ROW("sent", sent, "");
  ROW("deliveries", atomic_load(&deliveries) - d0, "");
  ROW("seen min", lo, "");
  ROW("seen max", hi, "");
  return 0;
}
