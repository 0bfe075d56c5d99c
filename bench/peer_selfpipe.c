/*
 * peer_selfpipe.c: the self-pipe trick. The sigaction() handler writes the
 * signal number to a non-blocking pipe; the loop polls the pipe, reads
 * what is there and runs the handlers, each once for all its bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "bench.h"

#define MAXSIG 65

static int fds[2] = {-1, -1};
static bench_cb cbs[MAXSIG];

static void handler(int signum) {
  int saved = errno;
  unsigned char byte = (unsigned char)signum;
  ssize_t n = write(fds[1], &byte, 1);
  (void)n;
  errno = saved;
}

static int sp_init(void) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }

static int sp_watch(int signum, bench_cb cb) {
  struct sigaction sa;
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  cbs[signum] = cb;
  return sigaction(signum, &sa, NULL);
}

static void sp_turn(int block) {
  static unsigned long count[MAXSIG];
  unsigned char buf[256], seen[256];
  struct pollfd p;
  ssize_t n, i;
  int nseen = 0, j;
  p.fd = fds[0];
  p.events = POLLIN;
  while (poll(&p, 1, block ? -1 : 0) < 0 && errno == EINTR) {
  }
  if (!(p.revents & POLLIN)) return;
  n = read(fds[0], buf, sizeof buf);
  for (i = 0; i < n; i++)
    if (buf[i] < MAXSIG && count[buf[i]]++ == 0) seen[nseen++] = buf[i];
  for (j = 0; j < nseen; j++) {
    int s = seen[j];
    unsigned long c = count[s];
    count[s] = 0;
    if (cbs[s] != NULL) cbs[s](s, c);
  }
}

static void sp_fini(void) {}

static const struct bench_peer peer = {
    "selfpipe", 1, 1, sp_init, sp_watch, sp_turn, sp_fini, NULL, "poll(0)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
