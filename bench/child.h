/*
 * child.h: the child-reaping workload: start N children, at most WAVE
 * alive at once, and reap them all.
 *
 * Each program (child_sigport, child_libuv, child_glib, child_raw) is one
 * way of reaping seen through this interface; child.c is the workload,
 * written once (child_python.py is CPython's asyncio). The child is
 * child_exit.c.
 *
 * A wave: the reaper starts its children (start), each of which blocks
 * on the wave's gate pipe; it registers them with the library where that
 * is a call of its own (watch); then it lets them go and turns the loop
 * until every one of them has been reported. A library's callback reports
 * a child with child_ended(). Nothing ends during the start, so the start
 * and the reaping are timed apart.
 */
#ifndef SIGPORT_BENCH_CHILD_H
#define SIGPORT_BENCH_CHILD_H

#include <sys/types.h>

/* The exit code of child `index`: 1 .. 250, so that a status that reached
   the wrong callback (or a zeroed one) shows. */
static inline int child_code(long index) { return (int)(index % 250) + 1; }

/* What child_exit exits with when its arguments are wrong. */
#define CHILD_USAGE_CODE 255

struct child_peer {
  const char *name;
  /* Process-wide set-up: 0 or -1. */
  int (*init)(void);
  /* Starts child i with argv (argv[0] the program's path), its pid in
   *pid: 0 or -1. NULL: child_spawn(), posix_spawn(). */
  int (*start)(int i, char *const argv[], pid_t *pid);
  /* Registers child i with the library, once the whole wave has started:
     0 or -1. NULL when start registered it. */
  int (*watch)(int i, pid_t pid);
  /* Optional, after the first wave's watches, untimed: prints rows about
     what the library set up (for n children). */
  void (*check)(int n);
  /* Waits until the library has something to report, and runs it: its
     callbacks call child_ended(). Never sleeps for a time. */
  void (*turn)(void);
  void (*fini)(void);
};

/* Runs the workload named in argv for peer: the program's main(). */
int child_main(const struct child_peer *peer, int argc, char **argv);

/* posix_spawn() of argv[0] with argv and the environment: 0 or -1. */
int child_spawn(char *const argv[], pid_t *pid);

/* The index of a child started by this run, or -1. */
int child_index(pid_t pid);

/* A library reported child i: exited normally with code, or ended by
   signal signo. Once per child; on the main thread. */
void child_ended(int i, int exited, int code, int signo);

/* Exits with a message on stderr. */
void child_die(const char *what);

#endif /* SIGPORT_BENCH_CHILD_H */
