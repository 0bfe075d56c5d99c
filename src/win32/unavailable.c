/*
 * unavailable.c: the POSIX-only calls. They exist on Windows so that
 * portable programs link, and return SIGPORT_ENOTAVAIL with a message that
 * names the call, as Python's signal module has no such attribute there.
 * (The timers, masks and waits that Windows lacks are emulated: timers.c
 * and masks.c.)
 */
#include "win32.h"

#define SP_NOT_ON_WINDOWS(fn) \
  sp__fail(SIGPORT_ENOTAVAIL, fn "() is not available on Windows")

int sigport_pthread_kill(sigport_thread_t thread, int signum) {
  (void)thread;
  (void)signum;
  return SP_NOT_ON_WINDOWS("sigport_pthread_kill");
}

int sigport_pidfd_send_signal(int pidfd, int signum, const void *siginfo,
                              unsigned flags) {
  (void)pidfd;
  (void)signum;
  (void)siginfo;
  (void)flags;
  return SP_NOT_ON_WINDOWS("sigport_pidfd_send_signal");
}

int sigport_siginterrupt(int signum, int flag) {
  (void)signum;
  (void)flag;
  return SP_NOT_ON_WINDOWS("sigport_siginterrupt");
}

int sigport_restore_for_exec(void) {
  return SP_NOT_ON_WINDOWS("sigport_restore_for_exec");
}
