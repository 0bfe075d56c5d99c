/*
 * helpers.c: handlers and clocks the suites share.
 */
#include "helpers.h"

#include <stdlib.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <signal.h>
#include <time.h>
#endif

int sp_test_under_valgrind(void) {
  const char *v = getenv("SIGPORT_TEST_RELAXED");
  return v != NULL && strcmp(v, "valgrind") == 0;
}

int sp_order[64];
int sp_norder;

int sp_count_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  struct sp_counter *c = arg;
  (void)signum;
  c->calls++;
  c->total += info->count;
  c->last = *info;
  return c->result;
}

int sp_order_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)info;
  (void)arg;
  if (sp_norder < 64) sp_order[sp_norder++] = signum;
  return 0;
}

double sp_now_ms(void) {
#if defined(_WIN32)
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
#endif
}

void sp_sleep_ms(int ms) {
#if defined(_WIN32)
  Sleep((DWORD)ms);
#else
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
#endif
}

#if !defined(_WIN32)
void sp_drain_blocked(void) {
  struct timespec zero = {0, 0};
  sigset_t pending;
  int i, s, any = 1;
  for (i = 0; i < 100000 && any; i++) {
    any = 0;
    if (sigpending(&pending) != 0) return;
    for (s = 1; s < SIGPORT_NSIG; s++) any |= sigismember(&pending, s) == 1;
    if (any && sigtimedwait(&pending, NULL, &zero) < 0) return;
  }
}
#endif
