/*
 * event_loop.c: an event loop woken by signals, with sigport_set_wakeup_fd()
 * and poll().
 *
 * The last example of the documentation of Python's signal module is a
 * server that avoids KeyboardInterrupt: its own SIGINT handler writes to a
 * socket pair that the server's selector watches. sigport does that write
 * itself: after recording a delivery, the raw handler writes a byte to the
 * wakeup fd, so poll() returns and the loop dispatches. The byte is only a
 * wakeup; the handlers learn what arrived from dispatch.
 *
 * The "server" here answers lines on standard input. SIGUSR1 reloads (it
 * only says so), SIGINT and SIGTERM shut the loop down cleanly. At the end
 * of its input it goes on serving signals.
 *
 *   Usage: event_loop
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sigport.h"

struct loop {
  int stop;
  int reloads;
};

static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  struct loop *l = arg;
  printf("Signal handler called with signal %s (%d), count %lu\n",
         sigport_signame(signum), signum, info->count);
  if (signum == SIGPORT_SIGUSR1)
    printf("reload %d\n", ++l->reloads);
  else
    l->stop = 1;
  fflush(stdout);
  return 0;
}

/* Reads what standard input has, and answers each whole line. Returns 0 at
   the end of the input, 1 otherwise. */
static int serve_input(char *buf, size_t size, size_t *used) {
  ssize_t n = read(STDIN_FILENO, buf + *used, size - 1 - *used);
  char *line, *nl;
  if (n < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  if (n == 0) return 0;
  *used += (size_t)n;
  buf[*used] = '\0';
  line = buf;
  while ((nl = strchr(line, '\n')) != NULL) {
    *nl = '\0';
    printf("echo: %s\n", line);
    line = nl + 1;
  }
  fflush(stdout);
  *used -= (size_t)(line - buf);
  memmove(buf, line, *used);
  if (*used == size - 1) *used = 0; /* A line too long is dropped. */
  return 1;
}

static int fail(const char *what) {
  fprintf(stderr, "event_loop: %s: %s\n", what, sigport_last_error());
  return 1;
}

int main(void) {
  struct loop l = {0, 0};
  sigport_socket_t pair[2];
  char buf[512];
  size_t used = 0;
  int input_open = 1;

  if (sigport_init(0) != 0) return fail("sigport_init");
  if (sigport_socketpair(pair) != 0) return fail("sigport_socketpair");
  if (sigport_set_wakeup_fd(pair[1], 0, NULL) != 0)
    return fail("sigport_set_wakeup_fd");
  if (sigport_signal(SIGPORT_SIGINT, handler, &l, NULL) != 0 ||
      sigport_signal(SIGPORT_SIGTERM, handler, &l, NULL) != 0 ||
      sigport_signal(SIGPORT_SIGUSR1, handler, &l, NULL) != 0)
    return fail("sigport_signal");

  printf("Serving standard input in pid %ld\n", (long)getpid());
  fflush(stdout);
  while (!l.stop) {
    struct pollfd fds[2];
    fds[0].fd = pair[0];
    fds[0].events = POLLIN;
    fds[1].fd = STDIN_FILENO;
    fds[1].events = POLLIN;
    fds[0].revents = fds[1].revents = 0;
    if (poll(fds, input_open ? 2 : 1, -1) < 0 && errno != EINTR) {
      perror("event_loop: poll");
      break;
    }
    if (fds[0].revents & POLLIN) {
      char bytes[64];
      while (read(pair[0], bytes, sizeof bytes) > 0) {
      }
    }
    /* A signal that interrupted poll() wrote its byte too; dispatching
       once a turn is cheap when nothing is pending. */
    (void)sigport_dispatch();
    if (!l.stop && input_open && (fds[1].revents & (POLLIN | POLLHUP)))
      input_open = serve_input(buf, sizeof buf, &used);
  }

  printf("Shutdown...\n");
  sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  close(pair[0]);
  close(pair[1]);
  sigport_shutdown();
  return 0;
}
