/*
 * bench.h: what every benchmark program shares.
 *
 * Each program measures one way of handling signals (a "peer": raw
 * sigaction, the self-pipe trick, signalfd, sigport, libuv, libevent, GLib)
 * through the same small interface, so that every workload is written once
 * in bench.c and runs the same way for each of them.
 *
 * A program prints its results as tab-separated rows on stdout:
 *   workload <TAB> peer <TAB> metric <TAB> value <TAB> unit
 * and bench/report.py turns the rows of a whole run into the tables.
 */
#ifndef SIGPORT_BENCH_H
#define SIGPORT_BENCH_H

#include <signal.h>
#include <stdint.h>

/* The application's handler, as each peer calls it: the signal, and how
   many deliveries this call stands for when the peer says so (0 when it
   does not tell). */
typedef void (*bench_cb)(int signum, unsigned long coalesced);

struct bench_peer {
  const char *name;
  /* 1 when the peer reports how many deliveries a call stands for. */
  int reports_coalesced;
  /* 1 when the peer installs a sigaction handler that can be wrapped to
     count the kernel's deliveries (signalfd installs none). */
  int has_handler;
  int (*init)(void);
  /* Handles signum with cb: 0, or -1 if the peer cannot handle it. */
  int (*watch)(int signum, bench_cb cb);
  /* One turn of the peer's loop. block: wait until something arrived;
     otherwise only look. */
  void (*turn)(int block);
  void (*fini)(void);
  /* Optional: extra rows for the idle workload (checks that are not a
     loop turn, such as reading a flag). `seconds` is the time to spend. */
  void (*idle_extra)(double seconds);
  /* The name of the non-blocking turn, for the idle workload. */
  const char *turn_name;
};

/* Runs the workload named in argv for peer. The program's main(). */
int bench_main(const struct bench_peer *peer, int argc, char **argv);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bench_now_ns(void);

/* Prints one result row. */
void bench_row(const char *workload, const char *peer, const char *metric,
               double value, const char *unit);

/* Exits with a message on stderr. */
void bench_die(const char *what);

/* Times fn(arg, n) over growing n until `seconds` have passed; the cost
   of one iteration in nanoseconds. fn runs n iterations of the check. */
double bench_time_per_iter(void (*fn)(void *arg, long n), void *arg,
                           double seconds);

/* Times two checks in alternate chunks, so that a change in the machine's
   speed falls on both: their costs in nanoseconds in *a and *b. */
void bench_time_pair(void (*fa)(void *arg, long n),
                     void (*fb)(void *arg, long n), double seconds, double *a,
                     double *b);

/* n reads of a volatile sig_atomic_t flag, as a program that polls one
   does: the idle floor. */
void bench_flag_reads(void *arg, long n);

/* The pinger: the child process of the latency and burst workloads. */
struct bench_shared {
  volatile int64_t stamp; /* CLOCK_MONOTONIC just before each kill */
  volatile long sent;     /* signals the pinger managed to send */
};

/* Pinger modes. */
enum { PING_LATENCY, PING_BURST, PING_RTBURST };

/* Runs the pinger in this (child) process and returns its exit status:
   waits for a byte on ack_fd before each ping (latency) or once (bursts),
   then signals target. */
int bench_pinger(int mode, struct bench_shared *shm, pid_t target, long n,
                 int ack_fd, long gap_us);

#endif /* SIGPORT_BENCH_H */
