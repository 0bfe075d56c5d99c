/* cross-ldflags: -Wl,--wrap=syscall */
/*
 * time64.c: the sigwait family on a 32-bit Linux whose kernel predates
 * 5.1, which answers rt_sigtimedwait_time64 with ENOSYS. Every syscall()
 * that the library makes comes here first (the linker's --wrap): the
 * time64 call fails with ENOSYS, as such a kernel makes it fail, and the
 * rest go on to the system. The waits must then work through the old
 * call, and the library must stop asking for the new one.
 *
 * Exit status 0 when every check passed, 1 otherwise, 77 where there is no
 * time64 call (64-bit systems, where there is only one call).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sigport.h"

long __real_syscall(long number, ...);
long __wrap_syscall(long number, ...);

#if defined(SYS_rt_sigtimedwait_time64)
static long time64_calls;
#endif
static long old_calls;

long __wrap_syscall(long number, ...) {
  long a[6];
  va_list ap;
  int i;
  /* A system call takes at most six arguments; the callers pass what
     theirs needs, and the others are not read by the kernel. */
  va_start(ap, number);
  for (i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
#if defined(SYS_rt_sigtimedwait_time64)
  if (number == SYS_rt_sigtimedwait_time64) {
    time64_calls++;
    errno = ENOSYS;
    return -1;
  }
#endif
#if defined(SYS_rt_sigtimedwait)
  if (number == SYS_rt_sigtimedwait) old_calls++;
#endif
  return __real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

#if !defined(SYS_rt_sigtimedwait_time64)
int main(void) {
  printf("time64: skipped: this system has no rt_sigtimedwait_time64\n");
  return 77;
}
#else
static int failures;

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      printf("time64: FAIL %s:%d: %s (last error: %s)\n", __FILE__,       \
             __LINE__, #cond, sigport_last_error());                      \
      failures++;                                                         \
    }                                                                     \
  } while (0)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void) {
  sigport_sigset_t set;
  sigport_siginfo_t info;
  union sigval v;
  double t0, waited;
  int signum = 0;
  CHECK(sigport_init(0) == 0);
  CHECK(sigport_sigemptyset(&set) == 0);
  CHECK(sigport_sigaddset(&set, SIGUSR1) == 0);
  CHECK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL) == 0);

  /* sigtimedwait with a time: one try of the new call, then the old. */
  memset(&v, 0, sizeof v);
  v.sival_int = 1234;
  CHECK(sigqueue(getpid(), SIGUSR1, v) == 0);
  memset(&info, 0, sizeof info);
  CHECK(sigport_sigtimedwait(&set, 5.0, &info) == 1);
  CHECK(info.signo == SIGUSR1);
  CHECK(info.code == SI_QUEUE);
  CHECK(info.pid == getpid());
  CHECK(info.value_int == 1234);
  CHECK(time64_calls == 1);
  CHECK(old_calls == 1);

  /* The time runs out through the old call, not before it is due. */
  t0 = now();
  CHECK(sigport_sigtimedwait(&set, 0.05, &info) == 0);
  waited = now() - t0;
  CHECK(waited >= 0.05);
  CHECK(info.signo == 0);

  /* sigwaitinfo and sigwait, which wait without a time. */
  CHECK(raise(SIGUSR1) == 0);
  CHECK(sigport_sigwaitinfo(&set, &info) == SIGUSR1);
  CHECK(raise(SIGUSR1) == 0);
  CHECK(sigport_sigwait(&set, &signum) == 0);
  CHECK(signum == SIGUSR1);

  /* The kernel said ENOSYS once: the library did not ask again. */
  CHECK(time64_calls == 1);
  CHECK(old_calls == 4);
  sigport_shutdown();
  printf("time64: %ld time64 call (ENOSYS), %ld old calls, timeout after "
         "%.3f s\n",
         time64_calls, old_calls, waited);
  if (failures != 0) return 1;
  printf("time64 fallback ok\n");
  return 0;
}
#endif
