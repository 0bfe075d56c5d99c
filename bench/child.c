/*
 * child.c: the child-reaping workload, written once for every peer
 * (child.h).
 *
 *   child_PEER N WAVE serial|burst PROGRAM
 *
 * Starts N children of PROGRAM (child_exit), in waves of at most WAVE
 * alive at once, and reaps them all. A wave:
 *   start  the children of the wave, one after the other (the peer's
 *          start, posix_spawn() unless the library has a spawn call of
 *          its own). Each one blocks on the wave's gate pipe, so none ends
 *          during the start. Then the library's watch call for each child,
 *          where it has one, timed on its own.
 *   reap   the gate opens: serial, one byte into the pipe now and one
 *          more from each callback, so that the children end one at a
 *          time, each while the rest of its wave is alive; burst, the
 *          write end closed, so that the whole wave ends at once. The
 *          reaper turns the peer's loop until every child of the wave has
 *          been reported.
 * Printed per child or exit (ns): the CPU time of the reaper process
 * (getrusage RUSAGE_SELF, user + system, every thread) of the starts, of
 * the watch calls, of the reaping (less, in serial, the writes that open
 * the gate, measured on their own) and of those writes; the wall time of
 * the starts and of the reaping; the time from a child's exit (its
 * CLOCK_MONOTONIC just before _exit) to its callback, median, 99th
 * percentile and maximum; the loop turns per exit; how many children
 * were reported with the status they exited with, and how many reports
 * were wrong (a wrong code, a child reported twice, a pid not started
 * here).
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static int nchildren;
static int64_t *stamps; /* shared with the children */
static int64_t *lat;    /* exit to callback, -1 without a stamp */
static unsigned char *seen;
static pid_t *pids;
static long ended, good, bad;
static int serial;
static int gate_w = -1;
static long released, release_end;
static int64_t release_cpu; /* serial: the writes that open the gate */

void child_die(const char *what) {
  fprintf(stderr, "child: %s: %s\n", what, strerror(errno));
  exit(2);
}

static int64_t cpu_ns(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) child_die("getrusage");
  return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
         ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

static int64_t thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int child_spawn(char *const argv[], pid_t *pid) {
  int rc = posix_spawn(pid, argv[0], NULL, NULL, argv, environ);
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  return 0;
}

/* pid to index: open addressing over a power of two of at least 2N. */
static pid_t *ix_pid;
static int *ix_index;
static size_t ix_mask;

static size_t ix_slot(pid_t pid) {
  size_t i = ((size_t)(uint32_t)pid * 2654435761u) & ix_mask;
  while (ix_pid[i] != 0 && ix_pid[i] != pid) i = (i + 1) & ix_mask;
  return i;
}

int child_index(pid_t pid) {
  size_t i = ix_slot(pid);
  return ix_pid[i] == pid ? ix_index[i] : -1;
}

/* Lets one more child of the wave go (serial). */
static void release_one(void) {
  int64_t c0;
  if (released >= release_end) return;
  c0 = thread_cpu_ns();
  if (write(gate_w, "g", 1) != 1) child_die("write to the gate");
  release_cpu += thread_cpu_ns() - c0;
  released++;
}

void child_ended(int i, int exited, int code, int signo) {
  int64_t now = bench_now_ns();
  if (i < 0 || i >= nchildren || seen[i]) {
    bad++;
    return;
  }
  seen[i] = 1;
  ended++;
  if (exited && signo == 0 && code == child_code(i) && stamps[i] != 0)
    good++;
  else
    bad++;
  lat[i] = stamps[i] != 0 ? now - stamps[i] : -1;
  if (serial) release_one();
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static void usage(const char *argv0) {
  fprintf(stderr, "usage: %s N WAVE serial|burst PROGRAM\n", argv0);
  exit(2);
}

int child_main(const struct child_peer *peer, int argc, char **argv) {
  int64_t t_start, c_start = 0, c_watch = 0, c_reap = 0, c_open = 0;
  int64_t w_reap = 0, w_start = 0, t0, c0, c1, c2, c3, c4, t3, t4, *sorted;
  long turns = 0, reported = 0, nlat = 0;
  int n, wave, w0, i, stamps_fd;
  size_t cap;
  char name[64];
  if (argc != 5) usage(argv[0]);
  n = atoi(argv[1]);
  wave = atoi(argv[2]);
  if (n < 1 || wave < 1) usage(argv[0]);
  if (strcmp(argv[3], "serial") == 0)
    serial = 1;
  else if (strcmp(argv[3], "burst") != 0)
    usage(argv[0]);
  nchildren = n;
  /* A child that no callback reports would hang the loop. */
  alarm(300);

  /* The stamps: inherited by every child (no close-on-exec). */
  stamps_fd = memfd_create("child-stamps", 0);
  if (stamps_fd < 0) child_die("memfd_create");
  if (ftruncate(stamps_fd, (off_t)n * (off_t)sizeof *stamps) != 0)
    child_die("ftruncate");
  stamps = mmap(NULL, (size_t)n * sizeof *stamps, PROT_READ | PROT_WRITE,
                MAP_SHARED, stamps_fd, 0);
  if (stamps == MAP_FAILED) child_die("mmap");
  lat = calloc((size_t)n, sizeof *lat);
  sorted = calloc((size_t)n, sizeof *sorted);
  seen = calloc((size_t)n, 1);
  pids = calloc((size_t)n, sizeof *pids);
  for (cap = 16; cap < (size_t)n * 2; cap *= 2) {
  }
  ix_mask = cap - 1;
  ix_pid = calloc(cap, sizeof *ix_pid);
  ix_index = calloc(cap, sizeof *ix_index);
  if (!lat || !sorted || !seen || !pids || !ix_pid || !ix_index)
    child_die("calloc");
  if (peer->init() != 0) {
    fprintf(stderr, "child: %s: init failed\n", peer->name);
    return 2;
  }
  /* After init: a peer may name itself by what init found. */
  snprintf(name, sizeof name, "%s/%s", peer->name, argv[3]);

  t_start = bench_now_ns();
  for (w0 = 0; w0 < n; w0 += wave) {
    int w1 = w0 + wave < n ? w0 + wave : n, gate[2];
    char fd_arg[16], gate_arg[16], index_arg[16];
    char *cargv[5];
    /* The write end is not inherited; the read end is. */
    if (pipe2(gate, O_CLOEXEC) != 0) child_die("pipe2");
    if (fcntl(gate[0], F_SETFD, 0) != 0) child_die("fcntl");
    gate_w = gate[1];
    snprintf(fd_arg, sizeof fd_arg, "%d", stamps_fd);
    snprintf(gate_arg, sizeof gate_arg, "%d", gate[0]);
    cargv[0] = argv[4];
    cargv[1] = fd_arg;
    cargv[2] = index_arg;
    cargv[3] = gate_arg;
    cargv[4] = NULL;

    t0 = bench_now_ns();
    c0 = cpu_ns();
    for (i = w0; i < w1; i++) {
      size_t s;
      snprintf(index_arg, sizeof index_arg, "%d", i);
      if ((peer->start ? peer->start(i, cargv, &pids[i])
                       : child_spawn(cargv, &pids[i])) != 0)
        child_die("start");
      s = ix_slot(pids[i]);
      ix_pid[s] = pids[i];
      ix_index[s] = i;
    }
    c1 = cpu_ns();
    if (peer->watch != NULL)
      for (i = w0; i < w1; i++)
        if (peer->watch(i, pids[i]) != 0) {
          fprintf(stderr, "child: %s: cannot watch child %d\n", peer->name, i);
          return 2;
        }
    c2 = cpu_ns();
    if (w0 == 0 && peer->check != NULL) peer->check(w1 - w0);
    close(gate[0]);

    /* The reaping. */
    release_end = w1;
    release_cpu = 0;
    t3 = bench_now_ns();
    c3 = cpu_ns();
    if (serial) {
      release_one();
    } else {
      close(gate_w);
      gate_w = -1;
      release_cpu = cpu_ns() - c3;
    }
    while (ended < w1) {
      peer->turn();
      turns++;
    }
    c4 = cpu_ns();
    t4 = bench_now_ns();
    if (gate_w >= 0) close(gate_w);
    gate_w = -1;
    c_start += c1 - c0;
    c_watch += c2 - c1;
    c_reap += c4 - c3 - release_cpu;
    c_open += release_cpu;
    w_reap += t4 - t3;
    w_start += t3 - t0;
  }
  peer->fini();

  for (i = 0; i < n; i++) {
    if (seen[i]) reported++;
    if (seen[i] && lat[i] >= 0) sorted[nlat++] = lat[i];
  }
  qsort(sorted, (size_t)nlat, sizeof *sorted, cmp_i64);

#define ROW(metric, value, unit)                        \
  do {                                                  \
    char m[64];                                         \
    snprintf(m, sizeof m, "%s@%d", metric, n);          \
    bench_row("child", name, m, (double)(value), unit); \
  } while (0)
  ROW("start cpu", (double)c_start / n, "ns");
  ROW("watch cpu", (double)c_watch / n, "ns");
  ROW("reap cpu", (double)c_reap / n, "ns");
  ROW("gate cpu", (double)c_open / n, "ns");
  ROW("start wall", (double)w_start / n, "ns");
  ROW("reap wall", (double)w_reap / n, "ns");
  ROW("lat median", nlat ? sorted[nlat / 2] : -1, "ns");
  /* The 99th percentile: the smallest value with 99% at or below it. */
  ROW("lat p99", nlat ? sorted[(nlat * 99 + 99) / 100 - 1] : -1, "ns");
  ROW("lat max", nlat ? sorted[nlat - 1] : -1, "ns");
  ROW("turns", (double)turns / n, "");
  ROW("reaped", good, "");
  ROW("wrong", bad + (n - reported), "");
  ROW("wall", (double)(bench_now_ns() - t_start) / 1e9, "s");
  return 0;
}
