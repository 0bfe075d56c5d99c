/*
 * fanout.h: the fan-out workload, one signal to N consumers.
 *
 * Each program (fanout_sigport, fanout_libuv, fanout_glib) is one library
 * seen through this interface; fanout.c is the workload, written once.
 * Three modes:
 *   one      N consumers, all polled by the thread that sends the signal;
 *   shared   the same, but the N consumers share one fd: the thread polls
 *            that one (for the peers that have such consumers);
 *   threads  N threads, each with a consumer of its own, each polling it;
 *            the sending thread waits until the last one has seen it.
 * A consumer reports what it saw with fan_seen(i, count), count being the
 * number of deliveries it was told about (1 a call for the peers that do
 * not say).
 */
#ifndef SIGPORT_BENCH_FANOUT_H
#define SIGPORT_BENCH_FANOUT_H

/* The most consumers. */
#define FAN_MAX 64

struct fan_peer {
  const char *name;
  /* Process-wide set-up, on the main thread: 0 or -1. */
  int (*init)(void);
  /* Mode one: opens consumers 0 .. n-1 of signum. 0 or -1. */
  int (*open_all)(int signum, int n);
  /* Mode shared: opens consumers 0 .. n-1 of signum, all sharing one fd,
     which turn() then polls. 0 or -1. NULL when the peer has no such
     mode. */
  int (*open_shared)(int signum, int n);
  /* Modes one and shared: waits up to timeout_ms (-1: no limit) for any
     consumer to have something, and takes what each one has, calling
     fan_seen(). */
  void (*turn)(int timeout_ms);
  /* Modes one and shared. */
  void (*close_all)(void);
  /* Mode threads: the body of consumer thread i. It opens its consumer of
     signum, calls fan_ready(), then takes what comes (fan_seen()) until
     fan_stopping() is true after a wakeup, closes its consumer and
     returns. NULL when the peer has no such mode. */
  void (*thread_main)(int i, int signum);
  void (*fini)(void);
};

/* Runs the workload named in argv for peer: the program's main(). */
int fan_main(const struct fan_peer *peer, int argc, char **argv);

/* Consumer i was told of count deliveries. Any thread. */
void fan_seen(int i, unsigned long count);

/* Mode threads: consumer thread's consumer is open. */
void fan_ready(void);

/* Mode threads: true once the sender has asked the consumers to end. */
int fan_stopping(void);

/* Exits with a message on stderr. */
void fan_die(const char *what);

#endif /* SIGPORT_BENCH_FANOUT_H */
