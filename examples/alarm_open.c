/*
 * alarm_open.c: a time limit on a blocking open(), with sigport_alarm().
 *
 * The first example of the documentation of Python's signal module, in C.
 * Opening a device that may never answer (here a FIFO with no writer, whose
 * open() for reading blocks until a writer comes) would hang for ever, so
 * an alarm is set first. The SIGALRM handler returns an application code;
 * the open() fails with EINTR, and the dispatch that follows returns the
 * code, where the Python handler raises OSError.
 *
 *   Usage: alarm_open PATH [SECONDS]   (SECONDS defaults to 5)
 *
 * It prints "opened PATH" and exits 0 when the open succeeds in time, and
 * exits 1 with "Couldn't open device!" when the alarm comes first.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigport.h"

/* The handler's result: an application code, at or below SIGPORT_EUSER. */
#define OPEN_TIMED_OUT (SIGPORT_EUSER - 1)

static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)info;
  (void)arg;
  printf("Signal handler called with signal %s (%d)\n", sigport_signame(signum),
         signum);
  fflush(stdout);
  return OPEN_TIMED_OUT;
}

static int fail(const char *what) {
  fprintf(stderr, "alarm_open: %s: %s\n", what, sigport_last_error());
  return 2;
}

int main(int argc, char **argv) {
  unsigned seconds = 5;
  int fd, rc;
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: alarm_open PATH [SECONDS]\n");
    return 2;
  }
  if (argc == 3) seconds = (unsigned)strtoul(argv[2], NULL, 10);

  /* Set the signal handler and an alarm. */
  if (sigport_init(0) != 0) return fail("sigport_init");
  if (sigport_signal(SIGPORT_SIGALRM, handler, NULL, NULL) != 0)
    return fail("sigport_signal");
  if (sigport_alarm(seconds) < 0) return fail("sigport_alarm");

  /* This open() may hang indefinitely. Handlers are installed without
     SA_RESTART, so the alarm makes it fail with EINTR; dispatching then runs
     the handler. Any other signal's handler returns 0 and the open() is
     tried again, as Python retries an interrupted call (PEP 475). */
  for (;;) {
    fd = open(argv[1], O_RDONLY);
    if (fd >= 0 || errno != EINTR) break;
    rc = sigport_dispatch();
    if (rc == OPEN_TIMED_OUT) {
      fprintf(stderr, "alarm_open: Couldn't open device!\n");
      sigport_shutdown();
      return 1;
    }
  }

  sigport_alarm(0); /* Disable the alarm. */
  if (fd < 0) {
    fprintf(stderr, "alarm_open: open %s: %s\n", argv[1], strerror(errno));
    sigport_shutdown();
    return 1;
  }
  printf("opened %s\n", argv[1]);
  close(fd);
  sigport_shutdown();
  return 0;
}
