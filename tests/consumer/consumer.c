/*
 * consumer.c: a program built only from an installed sigport: it installs
 * a handler, raises the signal and checks that it was dispatched once,
 * first through the C library's raise() and the pending flag, then through
 * sigport_raise().
 */
#include <signal.h>
#include <stdio.h>

#include <sigport.h>

#if defined(_WIN32)
#define SIGNAL_USED SIGPORT_SIGTERM
#else
#define SIGNAL_USED SIGPORT_SIGUSR1
/* On POSIX, a C11 consumer gets the inline sigport_pending(). */
#if !SIGPORT_PENDING_INLINE
#error "sigport_pending() is not inline in a C11 POSIX build"
#endif
#endif

static int on_signal(int signum, const sigport_siginfo_t *info, void *arg) {
  int *calls = arg;
  (void)info;
  if (signum == SIGNAL_USED) (*calls)++;
  return 0;
}

int main(void) {
  int calls = 0, rc;
  if (sigport_init(0) != 0) {
    fprintf(stderr, "consumer: sigport_init: %s\n", sigport_last_error());
    return 1;
  }
  rc = sigport_signal(SIGNAL_USED, on_signal, &calls, NULL);
  /* The macro and the function read the same flag: clear before, set
     after a delivery that nothing has dispatched yet. */
  if (rc == 0 && (sigport_pending() || (sigport_pending)())) {
    fprintf(stderr, "consumer: pending before any signal\n");
    rc = 1;
  }
  if (rc == 0 && raise(SIGNAL_USED) != 0) {
    fprintf(stderr, "consumer: raise(%d) failed\n", SIGNAL_USED);
    rc = 1;
  }
  if (rc == 0 && (!sigport_pending() || !(sigport_pending)())) {
    fprintf(stderr, "consumer: nothing pending after raise(%d): %d %d\n",
            SIGNAL_USED, sigport_pending(), (sigport_pending)());
    rc = 1;
  }
  if (rc == 0) rc = sigport_dispatch();
  if (rc == 0 && (calls != 1 || sigport_pending())) {
    fprintf(stderr, "consumer: %d calls after dispatch, pending %d\n", calls,
            sigport_pending());
    rc = 1;
  }
  if (rc == 0) rc = sigport_raise(SIGNAL_USED);
  sigport_shutdown();
  if (rc != 0 || calls != 2) {
    fprintf(stderr, "consumer: rc %d, %d calls: %s\n", rc, calls,
            sigport_last_error());
    return 1;
  }
  printf("consumer ok: sigport %s (%s)\n", sigport_version(),
         sigport_backend_name());
  return 0;
}
