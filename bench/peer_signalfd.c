/*
 * peer_signalfd.c: Linux signalfd. The signals are blocked; the loop polls
 * the signalfd and reads one siginfo per delivery.
 */
#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "bench.h"

#define MAXSIG 65

static int sfd = -1;
static sigset_t mask;
static bench_cb cbs[MAXSIG];

static int sf_init(void) {
  sigemptyset(&mask);
  return 0;
}

static int sf_watch(int signum, bench_cb cb) {
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signum);
  if (sigprocmask(SIG_BLOCK, &one, NULL) != 0) return -1;
  sigaddset(&mask, signum);
  sfd = signalfd(sfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) return -1;
  cbs[signum] = cb;
  return 0;
}

static void sf_turn(int block) {
  static unsigned long count[MAXSIG];
  struct signalfd_siginfo si[16];
  unsigned char seen[16];
  struct pollfd p;
  ssize_t n, i;
  int nseen = 0, j;
  p.fd = sfd;
  p.events = POLLIN;
  while (poll(&p, 1, block ? -1 : 0) < 0 && errno == EINTR) {
  }
  if (!(p.revents & POLLIN)) return;
  n = read(sfd, si, sizeof si) / (ssize_t)sizeof si[0];
  for (i = 0; i < n; i++) {
    unsigned s = si[i].ssi_signo;
    if (s < MAXSIG && count[s]++ == 0) seen[nseen++] = (unsigned char)s;
  }
  for (j = 0; j < nseen; j++) {
    int s = seen[j];
    unsigned long c = count[s];
    count[s] = 0;
    if (cbs[s] != NULL) cbs[s](s, c);
  }
}

static void sf_fini(void) { close(sfd); }

static const struct bench_peer peer = {
    "signalfd", 1, 0, sf_init, sf_watch, sf_turn, sf_fini, NULL, "poll(0)"};

int main(int argc, char **argv) { return bench_main(&peer, argc, argv); }
