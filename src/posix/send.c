/*
 * send.c: raising and sending signals, to the process, to a thread and
 * through a pidfd.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "posix.h"

void sp__backend_raise_raw(int signum) { (void)raise(signum); }

/* 0 <= signum < SIGPORT_NSIG: signal 0 is an existence check. */
static int check_send_range(int signum, const char *fn) {
  if (signum < 0 || signum >= SIGPORT_NSIG)
    return sp__fail(SIGPORT_EVALUE, "%s: signal number %d out of range [0; %d]",
                    fn, signum, SIGPORT_NSIG - 1);
  return 0;
}

int sigport_raise(int signum) {
  int rc = sp__check_range(signum, "sigport_raise");
  if (rc != 0) return rc;
  if (raise(signum) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_raise(%d)", signum);
  return sp__dispatch_if_main();
}

int sigport_kill(sigport_pid_t pid, int signum) {
  int rc = check_send_range(signum, "sigport_kill");
  if (rc != 0) return rc;
  if (kill(pid, signum) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_kill(%ld, %d)", (long)pid,
                       signum);
  if (signum != 0 && (pid == getpid() || pid == 0 || pid == -1 ||
                      pid == -getpgrp()))
    return sp__dispatch_if_main();
  return 0;
}

int sigport_pthread_kill(sigport_thread_t thread, int signum) {
  int rc = check_send_range(signum, "sigport_pthread_kill");
  if (rc != 0) return rc;
  rc = pthread_kill(thread, signum);
  if (rc != 0)
    return sp__fail_os(SIGPORT_EOS, rc, "sigport_pthread_kill(%d)", signum);
  if (signum != 0 && pthread_equal(thread, pthread_self()))
    return sp__dispatch_if_main();
  return 0;
}

int sigport_pidfd_send_signal(int pidfd, int signum, const void *siginfo,
                              unsigned flags) {
  int rc = check_send_range(signum, "sigport_pidfd_send_signal");
  if (rc != 0) return rc;
  if (siginfo != NULL)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_pidfd_send_signal: siginfo must be NULL");
#if defined(__linux__)
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
  if (syscall(SYS_pidfd_send_signal, pidfd, signum, NULL, flags) != 0) {
    if (errno == ENOSYS)
      return sp__fail(SIGPORT_ENOTAVAIL,
                      "sigport_pidfd_send_signal: the kernel has no "
                      "pidfd_send_signal");
    return sp__fail_os(SIGPORT_EOS, errno,
                       "sigport_pidfd_send_signal(%d, %d)", pidfd, signum);
  }
  return 0;
#else
  (void)pidfd;
  (void)flags;
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "sigport_pidfd_send_signal is not available on this system");
#endif
}
