/*
 * alarm_read.c: a time limit on a blocking read, with sigport_alarm(), on
 * POSIX and on Windows alike.
 *
 * The twin of alarm_open.c for a system where an alarm interrupts no call:
 * on Windows nothing interrupts a blocking read. So the read waits in
 * select() for its socket and for the wakeup fd together. The alarm's
 * trip writes SIGALRM's byte to the wakeup fd, which ends the wait;
 * dispatching then runs the SIGALRM handler, whose result (an application
 * code) dispatch returns, where the Python handler raises OSError.
 *
 *   Usage: alarm_read [--data] [SECONDS]   (SECONDS defaults to 1)
 *
 * It reads from one end of a socket pair. With --data the other end has
 * written a line first: the read succeeds at once, the alarm is cancelled,
 * and it prints "read: hello" and exits 0. Without it nothing is ever
 * written: when the alarm comes it prints "Couldn't read!" to stderr and
 * exits 1.
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <winsock2.h>
#define close_socket(s) closesocket((SOCKET)(s))
#else
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
#define close_socket(s) close(s)
#endif

#include "sigport.h"

/* The handler's result: an application code, at or below SIGPORT_EUSER. */
#define READ_TIMED_OUT (SIGPORT_EUSER - 1)

static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)info;
  (void)arg;
  printf("Signal handler called with signal %s (%d)\n", sigport_signame(signum),
         signum);
  fflush(stdout);
  return READ_TIMED_OUT;
}

static int fail(const char *what) {
  fprintf(stderr, "alarm_read: %s: %s\n", what, sigport_last_error());
  return 2;
}

/* Empties the wakeup socket, which is non-blocking. */
static void drain(sigport_socket_t s) {
  char buf[64];
  while (recv(s, buf, sizeof buf, 0) > 0) {
  }
}

int main(int argc, char **argv) {
  sigport_socket_t data[2], wake[2];
  unsigned seconds = 1;
  int with_data = 0, i, rc;
  char line[64];
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--data") == 0)
      with_data = 1;
    else
      seconds = (unsigned)strtoul(argv[i], NULL, 10);
  }

  if (sigport_init(0) != 0) return fail("sigport_init");
  if (sigport_socketpair(data) != 0 || sigport_socketpair(wake) != 0)
    return fail("sigport_socketpair");
  if (sigport_set_wakeup_fd(wake[1], 0, NULL) != 0)
    return fail("sigport_set_wakeup_fd");
  /* Set the signal handler and an alarm. */
  if (sigport_signal(SIGPORT_SIGALRM, handler, NULL, NULL) != 0)
    return fail("sigport_signal");
  if (with_data && send(data[1], "hello\n", 6, 0) != 6) {
    fprintf(stderr, "alarm_read: send failed\n");
    return 2;
  }
  if (sigport_alarm(seconds) < 0) return fail("sigport_alarm");

  /* This read may wait for ever: nothing but the alarm ends the wait. */
  for (;;) {
    fd_set rd;
    int n;
    FD_ZERO(&rd);
    FD_SET(data[0], &rd);
    FD_SET(wake[0], &rd);
    /* The first argument is ignored on Windows. */
    n = select((int)(data[0] > wake[0] ? data[0] : wake[0]) + 1, &rd, NULL,
               NULL, NULL);
    if (n > 0 && FD_ISSET(wake[0], &rd)) drain(wake[0]);
    /* On POSIX the alarm may also have interrupted select() (EINTR). */
    rc = sigport_dispatch();
    if (rc == READ_TIMED_OUT) {
      fprintf(stderr, "alarm_read: Couldn't read!\n");
      sigport_shutdown();
      return 1;
    }
    if (n > 0 && FD_ISSET(data[0], &rd)) break;
  }

  sigport_alarm(0); /* Disable the alarm. */
  rc = (int)recv(data[0], line, sizeof line - 1, 0);
  if (rc <= 0) {
    fprintf(stderr, "alarm_read: recv failed\n");
    return 2;
  }
  line[rc] = '\0';
  line[strcspn(line, "\n")] = '\0';
  printf("read: %s\n", line);
  (void)sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  for (i = 0; i < 2; i++) {
    close_socket(data[i]);
    close_socket(wake[i]);
  }
  sigport_shutdown();
  return 0;
}
