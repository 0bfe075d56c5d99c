/*
 * interrupt_loop.c: KeyboardInterrupt in a loop, at a safe point.
 *
 * The documentation of Python's signal module warns that a
 * KeyboardInterrupt may appear between any two bytecodes, for example
 * after a lock was taken and before the code that releases it. With
 * sigport the default SIGINT handler, which SIGPORT_INIT_DEFAULTS
 * installs, runs only where the program dispatches: it returns
 * SIGPORT_EKEYBOARDINTERRUPT out of that sigport_dispatch(). This loop
 * dispatches once a round, outside its critical section, so the "lock" is
 * always free when the interrupt is seen.
 *
 * On the interrupt it prints one line and then ends by SIGINT with
 * sigport_exit_by_signal(), as Python does for an uncaught
 * KeyboardInterrupt, so that a shell sees status 130 and stops a script.
 *
 *   Usage: interrupt_loop [--raise-after N]
 *
 * --raise-after N raises SIGINT itself after N rounds, for systems and
 * tests without a terminal to press Ctrl+C in.
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <time.h>
#include <unistd.h>
#endif

#include "sigport.h"

/* The lock of the documentation's SpamContext: 1 while it is held. */
static int lock_held;

static void spam_enter(void) { lock_held = 1; }
static void spam_exit(void) { lock_held = 0; }

/* A round of work: 10 ms. */
static void work(void) {
#if defined(_WIN32)
  Sleep(10);
#else
  struct timespec ts = {0, 10 * 1000 * 1000};
  nanosleep(&ts, NULL);
#endif
}

static long pid_of_self(void) {
#if defined(_WIN32)
  return (long)GetCurrentProcessId();
#else
  return (long)getpid();
#endif
}

int main(int argc, char **argv) {
  long raise_after = 0, rounds;
  int rc;
  if (argc == 3 && strcmp(argv[1], "--raise-after") == 0)
    raise_after = strtol(argv[2], NULL, 10);
  if (sigport_init(SIGPORT_INIT_DEFAULTS) != 0) {
    fprintf(stderr, "interrupt_loop: %s\n", sigport_last_error());
    return 2;
  }
  printf("working in pid %ld; press Ctrl+C to stop\n", pid_of_self());
  fflush(stdout);

  for (rounds = 1;; rounds++) {
    spam_enter();
    work(); /* A signal arriving here is only recorded. */
    spam_exit();

    /* The safe point. sigport_raise() dispatches too, so its result is
       the handler's as well. */
    rc = 0;
    if (rounds == raise_after) rc = sigport_raise(SIGPORT_SIGINT);
    if (rc == 0) rc = sigport_dispatch();
    if (rc == SIGPORT_EKEYBOARDINTERRUPT) {
      printf("KeyboardInterrupt after %ld rounds; the lock is %s\n", rounds,
             lock_held ? "held" : "free");
      fflush(stdout);
      sigport_shutdown();
      sigport_exit_by_signal(SIGPORT_SIGINT);
    }
    if (rc != 0) {
      fprintf(stderr, "interrupt_loop: %s\n", sigport_strerror(rc));
      return 1;
    }
  }
}
