/*
 * sigpipe_head.c: output piped into `head`, with SIGPIPE handled.
 *
 * The "Note on SIGPIPE" example of the documentation of Python's signal
 * module, in C. SIGPORT_INIT_DEFAULTS ignores SIGPIPE, as Python does at
 * start-up, so a write to a pipe whose reader has gone fails with EPIPE
 * instead of killing the process. The program then does what the Python
 * example does with BrokenPipeError: it points standard output at
 * /dev/null, so that the flush at exit cannot fail again, and exits with
 * status 1, the status Python gives for EPIPE.
 *
 * A program that would rather end the way a shell tool does (status 141,
 * "killed by SIGPIPE") calls sigport_exit_by_signal(SIGPORT_SIGPIPE)
 * instead. Setting SIGPIPE back to its default action to avoid the error
 * is what the Python documentation warns against: the program would then
 * die whenever any socket it writes to is closed by the peer.
 *
 *   Usage: sigpipe_head [LINES]   (LINES defaults to 10000)
 *   Try:   sigpipe_head 1000000 | head -n 3; echo "${PIPESTATUS[0]}"
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigport.h"

int main(int argc, char **argv) {
  long lines = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
  long i;
  int err = 0, devnull;

  if (sigport_init(SIGPORT_INIT_DEFAULTS) != 0) {
    fprintf(stderr, "sigpipe_head: %s\n", sigport_last_error());
    return 2;
  }

  /* Simulate large output (your code replaces this loop). */
  for (i = 0; i < lines && err == 0; i++)
    if (puts("y") == EOF) err = errno;
  /* Flush output here to force SIGPIPE to be triggered while inside this
     part of the program. */
  if (err == 0 && fflush(stdout) != 0) err = errno;

  sigport_shutdown();
  if (err == 0) return 0;
  if (err != EPIPE) {
    fprintf(stderr, "sigpipe_head: write: %s\n", strerror(err));
    return 1;
  }
  /* The C library flushes standard streams at exit; redirect the remaining
     output to /dev/null to avoid another EPIPE then. */
  devnull = open("/dev/null", O_WRONLY);
  if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
  return 1; /* Python exits with error code 1 on EPIPE. */
}
