/*
 * cancel.c: a thread cancelled while it waits in the sigwait family
 * unwinds through the library's frames and ends with PTHREAD_CANCELED, on
 * architectures whose compilers make no unwind tables by default.
 *
 * Exit status 0 when every check passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sigport.h"

static int failures;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      printf("cancel: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
      failures++;                                                     \
    }                                                                 \
  } while (0)

struct waiter {
  int which;
  int cleaned; /* the cleanup handler ran */
};

static void cleanup(void *arg) { ((struct waiter *)arg)->cleaned = 1; }

static void *wait_forever(void *arg) {
  struct waiter *w = arg;
  sigport_sigset_t set;
  sigport_siginfo_t info;
  int got;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
  pthread_cleanup_push(cleanup, w);
  if (w->which == 0)
    sigport_sigwait(&set, &got);
  else if (w->which == 1)
    sigport_sigwaitinfo(&set, &info);
  else
    sigport_sigtimedwait(&set, 1e6, &info);
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  sigport_sigset_t set;
  int which;
  CHECK(sigport_init(0) == 0);
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
  /* Blocked here, and so in the threads made below. */
  CHECK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL) == 0);
  for (which = 0; which < 3; which++) {
    struct waiter w;
    pthread_t t;
    void *res = NULL;
    memset(&w, 0, sizeof w);
    w.which = which;
    CHECK(pthread_create(&t, NULL, wait_forever, &w) == 0);
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, &res) == 0);
    CHECK(res == PTHREAD_CANCELED);
    CHECK(w.cleaned == 1);
  }
  sigport_shutdown();
  if (failures != 0) return 1;
  printf("cancel: sigwait, sigwaitinfo and sigtimedwait cancelled, "
         "cleanup handlers run\ncancel ok\n");
  return 0;
}
