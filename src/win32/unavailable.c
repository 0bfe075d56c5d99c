/*
 * unavailable.c: the POSIX-only calls. They exist on Windows so that
 * portable programs link, and return SIGPORT_ENOTAVAIL with a message that
 * names the call, as Python's signal module has no such attribute there.
 */
#include "win32.h"

#define SP_NOT_ON_WINDOWS(fn) \
  sp__fail(SIGPORT_ENOTAVAIL, fn "() is not available on Windows")

int sigport_alarm(unsigned seconds) {
  (void)seconds;
  return SP_NOT_ON_WINDOWS("sigport_alarm");
}

int sigport_setitimer(int which, double seconds, double interval,
                      sigport_itimerval_t *old) {
  (void)which;
  (void)seconds;
  (void)interval;
  (void)old;
  return SP_NOT_ON_WINDOWS("sigport_setitimer");
}

int sigport_getitimer(int which, sigport_itimerval_t *current) {
  (void)which;
  (void)current;
  return SP_NOT_ON_WINDOWS("sigport_getitimer");
}

int sigport_pthread_sigmask(int how, const sigport_sigset_t *mask,
                            sigport_sigset_t *old) {
  (void)how;
  (void)mask;
  (void)old;
  return SP_NOT_ON_WINDOWS("sigport_pthread_sigmask");
}

int sigport_sigpending(sigport_sigset_t *out) {
  (void)out;
  return SP_NOT_ON_WINDOWS("sigport_sigpending");
}

int sigport_sigwait(const sigport_sigset_t *set, int *signum) {
  (void)set;
  (void)signum;
  return SP_NOT_ON_WINDOWS("sigport_sigwait");
}

int sigport_sigwaitinfo(const sigport_sigset_t *set, sigport_siginfo_t *info) {
  (void)set;
  (void)info;
  return SP_NOT_ON_WINDOWS("sigport_sigwaitinfo");
}

int sigport_sigtimedwait(const sigport_sigset_t *set, double timeout,
                         sigport_siginfo_t *info) {
  (void)set;
  (void)timeout;
  (void)info;
  return SP_NOT_ON_WINDOWS("sigport_sigtimedwait");
}

int sigport_thread_block(sigport_sigset_t *old) {
  (void)old;
  return SP_NOT_ON_WINDOWS("sigport_thread_block");
}

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
