/*
 * two_loops.c: two threads, each with an event loop of its own and a watch
 * of its own, see the same signals, each with exact counts.
 *
 * Python has one wakeup fd for the whole process, read on the main thread
 * only. A sigport watch is a consumer of its own: here loop A watches
 * SIGUSR1, loop B watches SIGUSR1 and SIGUSR2, and both watch SIGTERM,
 * which ends them. Every delivery of SIGUSR1 is counted by both: their
 * totals of it are the same, whatever the kernel merged. Neither loop
 * steals from the other, and the main thread only waits.
 *
 * Each loop poll()s its watch's fd and takes what it holds, one line a
 * take ("A: SIGUSR1 count=1 total=3"). At SIGTERM each loop prints its
 * totals and ends; then the main thread prints both.
 *
 * The loops' threads block every signal, so the kernel delivers them all
 * to the main thread, one after the other, and sigport's raw handler
 * counts each in both watches there: a watch does not care which thread a
 * signal lands on.
 *
 * The end is exact too, without counting on the order in which pending
 * signals are delivered: a SIGUSR1 sent before SIGTERM may well come after
 * it (Linux delivers the lower number first, and on MIPS SIGUSR1 is 16,
 * SIGTERM 15). So a loop that took SIGTERM does not close its watch yet.
 * Once both have, the main thread blocks every signal, and from then on no
 * thread takes one; the loops then take what their watches still hold and
 * close them. Every delivery before that is counted in both watches and
 * taken by both loops; none after it is counted at all.
 *
 *   Usage: two_loops
 *
 * It prints "ready in pid N" once both watches are open.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sigport.h"

struct loop {
  const char *name;
  const int *signals; /* ending with 0 */
  sigport_watch_t *watch;
  unsigned long total[SIGPORT_NSIG];
  int rc; /* what failed, or 0 */
};

/* Both loops say here that their watch is open, and then that they took
   SIGTERM; the main thread says when no signal comes any more. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int nopen, nfailed, nstopped, quiet;

static void say_opened(int ok) {
  pthread_mutex_lock(&lock);
  if (ok)
    nopen++;
  else
    nfailed++;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

/* A loop took SIGTERM: it waits until the main thread blocked every
   signal. */
static void say_stopped_and_wait(void) {
  pthread_mutex_lock(&lock);
  nstopped++;
  pthread_cond_broadcast(&changed);
  while (!quiet) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
}

/* Takes what a watch holds, one line a take; 1 if SIGTERM was among it. */
static int take_all(struct loop *l) {
  sigport_siginfo_t info;
  int s, term = 0;
  while ((s = sigport_watch_take(l->watch, &info)) > 0) {
    l->total[s] += info.count;
    printf("%s: %s count=%lu total=%lu\n", l->name, sigport_signame(s),
           info.count, l->total[s]);
    fflush(stdout);
    if (s == SIGPORT_SIGTERM) term = 1;
  }
  return term;
}

/* The totals of a loop, as one line: "A: SIGUSR1=5". */
static void print_totals(const struct loop *l, const char *prefix) {
  int i;
  flockfile(stdout);
  printf("%s%s:", prefix, l->name);
  for (i = 0; l->signals[i] != 0; i++)
    if (l->signals[i] != SIGPORT_SIGTERM)
      printf(" %s=%lu", sigport_signame(l->signals[i]),
             l->total[l->signals[i]]);
  putchar('\n');
  fflush(stdout);
  funlockfile(stdout);
}

/* One loop: open the watch, then poll its fd and take until SIGTERM. */
static void *run_loop(void *arg) {
  struct loop *l = arg;
  sigport_sigset_t set;
  int i, stop = 0;
  sigport_sigemptyset(&set);
  for (i = 0; l->signals[i] != 0; i++) sigport_sigaddset(&set, l->signals[i]);
  l->rc = sigport_watch_open(&set, 0, &l->watch);
  if (l->rc != 0) {
    fprintf(stderr, "two_loops: %s\n", sigport_last_error());
    say_opened(0);
    return NULL;
  }
  say_opened(1);
  while (!stop) {
    struct pollfd p;
    p.fd = sigport_watch_fd(l->watch);
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, -1) < 0 && errno != EINTR) {
      perror("two_loops: poll");
      l->rc = -1;
      break;
    }
    stop = take_all(l);
  }
  /* Also after a failed poll(), so that the main thread does not wait for
     this loop for ever. */
  say_stopped_and_wait();
  /* No signal comes any more: what the watch holds now is all. */
  (void)take_all(l);
  print_totals(l, "");
  /* The watch is closed by the thread that used it; the main thread only
     waits. The last close of SIGTERM gives it back. */
  sigport_watch_close(l->watch);
  return NULL;
}

int main(void) {
  static const int a_signals[] = {SIGPORT_SIGUSR1, SIGPORT_SIGTERM, 0};
  static const int b_signals[] = {SIGPORT_SIGUSR1, SIGPORT_SIGUSR2,
                                  SIGPORT_SIGTERM, 0};
  struct loop a, b;
  sigport_sigset_t all, before;
  pthread_t ta, tb;
  int rc;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  a.name = "A";
  a.signals = a_signals;
  b.name = "B";
  b.signals = b_signals;
  if ((rc = sigport_init(0)) != 0) {
    fprintf(stderr, "two_loops: %s\n", sigport_last_error());
    return 1;
  }
  /* The threads start with every signal blocked, and keep it so; the
     main thread takes them. */
  sigport_sigfillset(&all);
  if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &all, &before) != 0) {
    fprintf(stderr, "two_loops: %s\n", sigport_last_error());
    return 1;
  }
  if (pthread_create(&ta, NULL, run_loop, &a) != 0 ||
      pthread_create(&tb, NULL, run_loop, &b) != 0) {
    fprintf(stderr, "two_loops: pthread_create failed\n");
    return 1;
  }
  if (sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &before, NULL) != 0) {
    fprintf(stderr, "two_loops: %s\n", sigport_last_error());
    return 1;
  }
  pthread_mutex_lock(&lock);
  while (nopen + nfailed < 2) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  if (nfailed == 0) {
    printf("ready in pid %ld\n", (long)getpid());
    fflush(stdout);
  } else if (nopen > 0) {
    /* A loop that could not open its watch is gone; the other is ended
       by a SIGTERM it watches. */
    (void)sigport_kill((sigport_pid_t)getpid(), SIGPORT_SIGTERM);
  }
  /* Once every open loop took SIGTERM, no thread takes a signal any more:
     the loops' threads block them all, and now this one does. A signal
     still pending stays so, counted by neither watch. */
  pthread_mutex_lock(&lock);
  while (nstopped < nopen) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &all, NULL) != 0) {
    fprintf(stderr, "two_loops: %s\n", sigport_last_error());
    return 1;
  }
  pthread_mutex_lock(&lock);
  quiet = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  if (a.rc != 0 || b.rc != 0) {
    sigport_shutdown();
    return 1;
  }
  print_totals(&a, "total ");
  print_totals(&b, "total ");
  sigport_shutdown();
  return 0;
}
