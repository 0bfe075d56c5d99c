/*
 * process.c: the main thread, init and shutdown of the backend, fork(),
 * and ending the process the way a signal would.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "posix.h"
#include "../child.h"
#include "../watch.h"

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
/* The mask of the forking thread, blocked around fork(). */
static SP_THREAD_LOCAL sigset_t fork_mask;

sigport_thread_t sigport_thread_self(void) { return pthread_self(); }

int sigport_thread_equal(sigport_thread_t a, sigport_thread_t b) {
  return pthread_equal(a, b) ? 1 : 0;
}

/* fork(): every signal is blocked across it, so no trip runs in the child
   before its state is reset. */
static void before_fork(void) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &fork_mask);
  /* The dispatch lock first: the lock order. */
  sp__dthread_before_fork();
  /* No other thread is half way through a change of the watches or the
     dispositions when the child is made. */
  sp__backend_lock();
}

static void after_fork_parent(void) {
  sp__backend_unlock();
  sp__dthread_after_fork_parent();
  pthread_sigmask(SIG_SETMASK, &fork_mask, NULL);
}

static void after_fork_child(void) {
  if (sp__initialised()) {
    /* Nothing pending, this thread is the main thread, a fresh wake pipe,
       and no wakeup fd: the parent's socket is not the child's. */
    sp__state_reset_deliveries();
    /* The trips that ran on other threads at fork() are not in the child. */
    atomic_store_explicit(&sp__state.trips_active[0], 0, SP_RELAXED);
    atomic_store_explicit(&sp__state.trips_active[1], 0, SP_RELAXED);
    sp__set_main_thread();
    /* The child has no child watches, and no watches. */
    sp__child_after_fork();
    sp__watch_after_fork();
    sp__posix_wake_close();
    /* A failure (no fd left) leaves no pipe: the child's next
       sigport_pause() makes it, or reports why it cannot. */
    (void)sp__posix_wake_open("fork");
  }
  /* The child has no dispatch thread: the forking thread dispatches. */
  sp__dthread_after_fork_child();
  sp__backend_unlock();
  pthread_sigmask(SIG_SETMASK, &fork_mask, NULL);
}

static int atfork_rc;
static void register_atfork(void) {
  atfork_rc = pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

int sp__backend_init(unsigned flags) {
  int rc;
  pthread_once(&atfork_once, register_atfork);
  if (atfork_rc != 0)
    return sp__fail_os(SIGPORT_EOS, atfork_rc, "sigport_init: pthread_atfork");
  rc = sp__posix_wake_open("sigport_init");
  if (rc != 0) return rc;
  sp__posix_actions_init(flags);
  sp__posix_child_init();
  return 0;
}

void sp__backend_shutdown(void) { sp__posix_wake_close(); }

int sigport_restore_for_exec(void) {
  sigset_t none;
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    struct sigaction sa, orig;
    if (atomic_load_explicit(&sp__state.sig[s].ours, SP_RELAXED) ==
        SP_DISP_NONE)
      continue;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* A signal ignored before sigport took it stays ignored (nohup). */
    sa.sa_handler = sp__posix_saved(s, &orig) && !(orig.sa_flags & SA_SIGINFO) &&
                            orig.sa_handler == SIG_IGN
                        ? SIG_IGN
                        : SIG_DFL;
    sigaction(s, &sa, NULL);
  }
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  return 0;
}

/* Sleeps a little; a sanitizer may deliver a raised signal only at such a
   point. */
static void nap(void) {
  struct timespec ts = {0, 10 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

void sigport_exit_by_signal(int signum) {
  int action;
  if (signum < 1 || signum >= SIGPORT_NSIG)
    _exit(sp__exit_status_of_invalid(signum));
  action = sigport_default_action(signum);
  /* The kernel drops a signal with the default action sent to an init by
     itself: waiting for it would be for nothing. */
  if (getpid() == 1) _exit(128 + signum);
  if (action == SIGPORT_ACTION_TERMINATE || action == SIGPORT_ACTION_CORE) {
    struct sigaction dfl;
    sigset_t set;
    int i;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(signum, &dfl, NULL);
    sigemptyset(&set);
    sigaddset(&set, signum);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(signum);
    for (i = 0; i < 10; i++) nap();
  }
  _exit(128 + signum);
}

void sigport_exit_with_status(int wait_status) {
  if (WIFEXITED(wait_status)) exit(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) sigport_exit_by_signal(WTERMSIG(wait_status));
  exit(1);
}
