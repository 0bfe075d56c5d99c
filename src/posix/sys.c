/*
 * sys.c: the system calls that must not go through the C library's
 * wrappers, because the wrapper is a cancellation point, retries EINTR, or
 * may raise SIGPIPE: the trip's writes, the synchronous waits, and taking
 * back the SIGPIPE that a write to a pipe without a reader makes.
 *
 * On Linux they are made with syscall(), which is neither a cancellation
 * point nor a retry loop, and is async-signal-safe. Elsewhere the C
 * library's calls are used, and the header says what that means.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "posix.h"

#if defined(MSG_NOSIGNAL)
ssize_t sp__posix_send(int fd, const void *buf, size_t n) {
#if defined(__linux__) && defined(SYS_sendto)
  long rc = syscall(SYS_sendto, fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT,
                    NULL, 0);
  if (rc >= 0 || errno != ENOSYS) return (ssize_t)rc;
  /* A kernel that has only socketcall() (i386 before 4.3). */
#endif
  return send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}
#endif

#if defined(__linux__)
/*
 * rt_sigtimedwait. Where the C library's time_t is 64 bits on a 32-bit
 * system there are two calls: rt_sigtimedwait_time64 (Linux 5.1 and later)
 * with a 64-bit timespec, and the old one with a 32-bit timespec. A kernel
 * that predates 5.1 answers the new one with ENOSYS; from then on the old
 * one is used, with the time cut to what it can hold (the callers wait
 * again for what is left). On 64-bit systems there is only one call, whose
 * timespec is the C library's.
 */

/* The kernel's sigset is _NSIG / 8 bytes long: the first bytes of the C
   library's sigset_t. */
#if defined(_NSIG)
#define SP_KERNEL_SIGSET_SIZE (_NSIG / 8)
#else
#define SP_KERNEL_SIGSET_SIZE (SIGPORT_NSIG / 8)
#endif

/* The old call's timespec: two longs, as the kernel has it. */
struct sp_old_timespec {
  long tv_sec;
  long tv_nsec;
};

#if defined(SYS_rt_sigtimedwait_time64) && \
    (!defined(SYS_rt_sigtimedwait) ||      \
     SYS_rt_sigtimedwait_time64 != SYS_rt_sigtimedwait)
#define SP_HAVE_TIME64_CALL 1
struct sp_time64_timespec {
  int64_t tv_sec;
  int64_t tv_nsec;
};
/* 1 until the kernel said ENOSYS to the time64 call. Async-signal-safe:
   a plain atomic. */
static sp_atomic_int time64_works = 1;
#else
#define SP_HAVE_TIME64_CALL 0
#endif

#if !defined(SYS_rt_sigtimedwait) && SP_HAVE_TIME64_CALL
/* A 32-bit system born after 5.1 (riscv32): only the time64 call. */
#define SP_OLD_CALL_MISSING 1
#else
#define SP_OLD_CALL_MISSING 0
#endif

#if !SP_OLD_CALL_MISSING
static long old_call(const sigset_t *set, siginfo_t *si, int64_t ns) {
  struct sp_old_timespec ts;
  if (ns < 0)
    return syscall(SYS_rt_sigtimedwait, set, si, NULL, SP_KERNEL_SIGSET_SIZE);
  /* A long of 32 bits holds 68 years; longer waits are cut, and the
     caller waits again for the rest. */
  if (ns / 1000000000 > (int64_t)LONG_MAX) {
    ts.tv_sec = LONG_MAX;
    ts.tv_nsec = 0;
  } else {
    ts.tv_sec = (long)(ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
  }
  return syscall(SYS_rt_sigtimedwait, set, si, &ts, SP_KERNEL_SIGSET_SIZE);
}
#endif

int sp__posix_sigtimedwait(const sigset_t *set, siginfo_t *si, int64_t ns) {
#if SP_HAVE_TIME64_CALL
  if (atomic_load_explicit(&time64_works, SP_RELAXED)) {
    struct sp_time64_timespec ts;
    long rc;
    ts.tv_sec = ns < 0 ? 0 : ns / 1000000000;
    ts.tv_nsec = ns < 0 ? 0 : ns % 1000000000;
    rc = syscall(SYS_rt_sigtimedwait_time64, set, si, ns < 0 ? NULL : &ts,
                 SP_KERNEL_SIGSET_SIZE);
    if (rc >= 0 || errno != ENOSYS || SP_OLD_CALL_MISSING) return (int)rc;
    atomic_store_explicit(&time64_works, 0, SP_RELAXED);
  }
#endif
#if !SP_OLD_CALL_MISSING
  return (int)old_call(set, si, ns);
#endif
}

#else /* !__linux__ */

int sp__posix_sigtimedwait(const sigset_t *set, siginfo_t *si, int64_t ns) {
#if SIGPORT_HAVE_SIGWAITINFO
  struct timespec ts;
  if (ns < 0) return sigwaitinfo(set, si);
  ts.tv_sec = (time_t)(ns / 1000000000);
  ts.tv_nsec = (long)(ns % 1000000000);
  return sigtimedwait(set, si, &ts);
#else
  /* Only the trip's zero-time take of SIGPIPE comes here, and only when
     the signal is pending, so sigwait() returns at once. */
  int got;
  (void)si;
  (void)ns;
  return sigwait(set, &got) == 0 ? got : -1;
#endif
}

#endif /* __linux__ */

static int sigpipe_pending(void) {
  sigset_t pending;
  return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

/* Takes one pending SIGPIPE; 1 with *si filled if there was one. Every
   signal is blocked in the trip, so it waits for nothing. */
static int take_sigpipe(siginfo_t *si) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  memset(si, 0, sizeof *si);
  if (!sigpipe_pending()) return 0;
  return sp__posix_sigtimedwait(&set, si, 0) == SIGPIPE;
}

#if defined(__linux__)
/*
 * The write's SIGPIPE goes to this thread's own queue, where a standard
 * signal that is already pending absorbs a second one. rt_sigtimedwait
 * takes from that queue first. So the SIGPIPE taken is the write's, with
 * the siginfo the kernel gives it (SI_USER, this process, this user), or
 * an earlier one of this thread that absorbed it: that one is put back,
 * with its own siginfo. A SIGPIPE pending for the process stays pending.
 * No check before the write, so a write that succeeds costs nothing more.
 */
ssize_t sp__posix_write_nosigpipe(int fd, const void *buf, size_t n) {
  siginfo_t si;
  ssize_t rc = sp__posix_write(fd, buf, n);
  int err;
  if (rc >= 0 || errno != EPIPE) return rc;
  err = errno;
  if (take_sigpipe(&si) &&
      !(si.si_code == SI_USER && si.si_pid == getpid() &&
        si.si_uid == getuid()))
    (void)syscall(SYS_rt_tgsigqueueinfo, (long)getpid(),
                  (long)syscall(SYS_gettid), SIGPIPE, &si);
  errno = err;
  return rc;
}
#else
/* Elsewhere a SIGPIPE pending before the write, which the write's merges
   with, is left alone; otherwise the write's is taken. */
ssize_t sp__posix_write_nosigpipe(int fd, const void *buf, size_t n) {
  siginfo_t si;
  int before = sigpipe_pending(), err;
  ssize_t rc = sp__posix_write(fd, buf, n);
  if (rc >= 0 || errno != EPIPE) return rc;
  err = errno;
  if (!before) (void)take_sigpipe(&si);
  errno = err;
  return rc;
}
#endif

void sp__posix_fill_trip_mask(sigset_t *set) {
  int s;
  sigfillset(set);
#if defined(__linux__)
  /* sigfillset() leaves out the C library's reserved signals, the
     cancellation signal among them: a pthread_cancel() in asynchronous
     mode could then stop a trip half way through its record. The kernel
     takes them in sa_mask, so they are set in the bits directly: on Linux
     sigset_t begins with the kernel's words, signal n at bit n - 1. */
  for (s = 1; s < SIGPORT_NSIG; s++) {
    unsigned long word;
    size_t w = (size_t)(s - 1) / (sizeof word * CHAR_BIT);
    if (s == SIGKILL || s == SIGSTOP || sigismember(set, s) == 1) continue;
    memcpy(&word, (unsigned char *)set + w * sizeof word, sizeof word);
    word |= 1ul << ((unsigned)(s - 1) % (sizeof word * CHAR_BIT));
    memcpy((unsigned char *)set + w * sizeof word, &word, sizeof word);
  }
#else
  (void)s;
#endif
}
