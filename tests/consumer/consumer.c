/*
 * consumer.c: a program built only from an installed sigport: it installs
 * a handler, raises the signal and checks that it was dispatched once.
 */
#include <stdio.h>

#include <sigport.h>

#if defined(_WIN32)
#define SIGNAL_USED SIGPORT_SIGTERM
#else
#define SIGNAL_USED SIGPORT_SIGUSR1
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
  if (rc == 0) rc = sigport_raise(SIGNAL_USED);
  sigport_shutdown();
  if (rc != 0 || calls != 1) {
    fprintf(stderr, "consumer: rc %d, %d calls: %s\n", rc, calls,
            sigport_last_error());
    return 1;
  }
  printf("consumer ok: sigport %s (%s)\n", sigport_version(),
         sigport_backend_name());
  return 0;
}
