/*
 * thread.c: the dispatch thread's POSIX half: a pthread that starts with
 * every asynchronous signal blocked, and the dispatch lock.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "posix.h"

static pthread_t thread;
static void (*thread_run)(void);
static pthread_mutex_t dlock = PTHREAD_MUTEX_INITIALIZER;

static void *start_routine(void *unused) {
  (void)unused;
  thread_run();
  return NULL;
}

int sp__backend_thread_start(void (*run)(void), const char *fn) {
  sigset_t all, old;
  int rc;
  /* Blocked here and inherited, so that no delivery can reach the new
     thread before it could block them itself. The synchronous ones stay
     open: a fault in a handler must end the process as it would without
     sigport (SPEC 2, "Faults"), not hang it. */
  sigfillset(&all);
  sigdelset(&all, SIGSEGV);
  sigdelset(&all, SIGFPE);
  sigdelset(&all, SIGILL);
#if defined(SIGBUS)
  sigdelset(&all, SIGBUS);
#endif
#if defined(SIGTRAP)
  sigdelset(&all, SIGTRAP);
#endif
#if defined(SIGSYS)
  sigdelset(&all, SIGSYS);
#endif
  thread_run = run;
  rc = pthread_sigmask(SIG_BLOCK, &all, &old);
  if (rc != 0) return sp__fail_os(SIGPORT_EOS, rc, "%s: pthread_sigmask", fn);
  rc = pthread_create(&thread, NULL, start_routine, NULL);
  (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) return sp__fail_os(SIGPORT_EOS, rc, "%s: pthread_create", fn);
  return 0;
}

void sp__backend_thread_join(void) {
  (void)pthread_join(thread, NULL);
  memset(&thread, 0, sizeof thread);
}

void sp__backend_thread_forget(void) { memset(&thread, 0, sizeof thread); }

void sp__backend_dlock(void) { (void)pthread_mutex_lock(&dlock); }
void sp__backend_dunlock(void) { (void)pthread_mutex_unlock(&dlock); }
