/*
 * smoke.c: sigport on another Linux architecture, run under qemu-user by
 * ci/cross.sh. It uses no threads, since qemu-i386 runs threaded
 * programs unreliably.
 *
 *   - a handler for SIGUSR1, run once by sigport_raise(), with the
 *     delivery's siginfo;
 *   - a sigqueue() of SIGUSR2 with sival_int set, while SIGUSR2 is
 *     blocked, taken by sigport_sigtimedwait(): info.value_int is exactly
 *     the int that was sent, and info.value the union read as a pointer;
 *   - ITIMER_REAL armed for 1 microsecond and read back, then a 1
 *     microsecond interval read back, both printed; the SIGALRM the first
 *     one sends is taken by sigport_sigtimedwait().
 *
 * Prints "cross smoke ok" and exits 0 when every check passed, 1 with
 * the failed check otherwise.
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sigport.h"

static int failures;

#define CHECK(cond, ...)                                       \
  do {                                                         \
    if (!(cond)) {                                             \
      failures++;                                              \
      printf("FAIL: %s:%d: %s: ", __FILE__, __LINE__, #cond);  \
      printf(__VA_ARGS__);                                     \
      printf("\n");                                            \
    }                                                          \
  } while (0)

/* A sigport call that must succeed: on failure, says why and exits. */
#define MUST(call)                                                     \
  do {                                                                 \
    int must_rc_ = (call);                                             \
    if (must_rc_ < 0) {                                                \
      printf("FAIL: %s:%d: %s: %d (%s: %s)\n", __FILE__, __LINE__,     \
             #call, must_rc_, sigport_errname(must_rc_),               \
             sigport_last_error());                                    \
      exit(1);                                                         \
    }                                                                  \
  } while (0)

static int usr1_calls;
static sigport_siginfo_t usr1_info;

static int on_usr1(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)arg;
  (void)signum;
  usr1_calls++;
  usr1_info = *info;
  return 0;
}

static sigport_sigset_t set_of(int signum) {
  sigport_sigset_t set;
  MUST(sigport_sigemptyset(&set));
  MUST(sigport_sigaddset(&set, signum));
  return set;
}

static void handler_and_raise(void) {
  MUST(sigport_signal(SIGUSR1, on_usr1, NULL, NULL));
  MUST(sigport_raise(SIGUSR1));
  printf("raise(SIGUSR1): handler ran %d time(s), signo %d, code %d, "
         "pid %lld, count %lu\n",
         usr1_calls, usr1_info.signo, usr1_info.code,
         (long long)usr1_info.pid, usr1_info.count);
  CHECK(usr1_calls == 1, "the handler ran %d times", usr1_calls);
  CHECK(usr1_info.signo == SIGUSR1, "signo %d", usr1_info.signo);
  CHECK(usr1_info.code == SI_TKILL || usr1_info.code == SI_USER,
        "code %d, expected SI_TKILL (%d) or SI_USER (%d)", usr1_info.code,
        SI_TKILL, SI_USER);
  CHECK(usr1_info.count == 1, "count %lu", usr1_info.count);
  MUST(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
}

static void queued_value(void) {
  sigport_sigset_t set = set_of(SIGUSR2);
  sigport_siginfo_t info;
  union sigval v;
  int rc;
  MUST(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  /* The whole union is sent: zero it before setting sival_int. */
  memset(&v, 0, sizeof v);
  v.sival_int = 0x12345678;
  CHECK(sigqueue(getpid(), SIGUSR2, v) == 0, "sigqueue failed");
  memset(&info, 0, sizeof info);
  rc = sigport_sigtimedwait(&set, 5.0, &info);
  MUST(rc);
  printf("sigqueue(SIGUSR2, 0x12345678): sigtimedwait %d, signo %d, "
         "code %d, pid %lld (getpid %lld), value_int 0x%x, value 0x%llx "
         "(sizeof(intptr_t) %u)\n",
         rc, info.signo, info.code, (long long)info.pid,
         (long long)getpid(), (unsigned)info.value_int,
         (unsigned long long)(uintptr_t)info.value,
         (unsigned)sizeof(intptr_t));
  CHECK(rc == 1, "sigtimedwait returned %d: the signal did not come", rc);
  CHECK(info.signo == SIGUSR2, "signo %d", info.signo);
  CHECK(info.code == SI_QUEUE, "code %d, expected SI_QUEUE (%d)", info.code,
        SI_QUEUE);
  CHECK(info.pid == (int64_t)getpid(), "pid %lld", (long long)info.pid);
  CHECK(info.value_int == 0x12345678, "value_int 0x%x",
        (unsigned)info.value_int);
  /* value is the same union read as a pointer, whatever the byte order. */
  CHECK(info.value == (intptr_t)v.sival_ptr, "value 0x%llx, sival_ptr 0x%llx",
        (unsigned long long)(uintptr_t)info.value,
        (unsigned long long)(uintptr_t)v.sival_ptr);
  MUST(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
}

static void itimer(void) {
  sigport_sigset_t set = set_of(SIGALRM);
  sigport_itimerval_t cur;
  sigport_siginfo_t info;
  int rc;
  /* The timer fires at once: SIGALRM stays blocked until it is taken. */
  MUST(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL));
  MUST(sigport_setitimer(SIGPORT_ITIMER_REAL, 0.000001, 0, NULL));
  MUST(sigport_getitimer(SIGPORT_ITIMER_REAL, &cur));
  printf("setitimer(REAL, 0.000001, 0): getitimer value %.9f (%a), "
         "interval %.9f (%a)\n",
         cur.value, cur.value, cur.interval, cur.interval);
  memset(&info, 0, sizeof info);
  rc = sigport_sigtimedwait(&set, 5.0, &info);
  MUST(rc);
  printf("the timer's SIGALRM: sigtimedwait %d, signo %d, code %d\n", rc,
         info.signo, info.code);
  CHECK(rc == 1 && info.signo == SIGALRM, "no SIGALRM within 5 s");

  /* The system keeps an interval as it was given, so this one reads back
     what the conversion to microseconds made of it. Where FLT_EVAL_METHOD
     is 2 (x87), the constant 1e-6 is evaluated in long double: the
     comparison with it differs from the one with the double 1e-6. */
  MUST(sigport_setitimer(SIGPORT_ITIMER_REAL, 100.0, 0.000001, NULL));
  MUST(sigport_getitimer(SIGPORT_ITIMER_REAL, &cur));
  printf("setitimer(REAL, 100, 0.000001): getitimer value %.6f, "
         "interval %.9f (%a); interval == 1e-6: %d, "
         "interval == (double)1e-6: %d\n",
         cur.value, cur.interval, cur.interval, cur.interval == 1e-6,
         cur.interval == (double)1e-6);
  MUST(sigport_setitimer(SIGPORT_ITIMER_REAL, 0, 0, NULL));
  MUST(sigport_pthread_sigmask(SIGPORT_SIG_UNBLOCK, &set, NULL));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("sigport %s (backend %s), sizeof(void *) %u, sizeof(long) %u, "
         "sizeof(time_t) %u, FLT_EVAL_METHOD %d\n",
         sigport_version(), sigport_backend_name(), (unsigned)sizeof(void *),
         (unsigned)sizeof(long), (unsigned)sizeof(time_t),
         (int)FLT_EVAL_METHOD);
  MUST(sigport_init(0));
  handler_and_raise();
  queued_value();
  itimer();
  sigport_shutdown();
  if (failures != 0) {
    printf("cross smoke: %d check(s) failed\n", failures);
    return 1;
  }
  printf("cross smoke ok\n");
  return 0;
}
