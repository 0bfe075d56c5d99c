/*
 * bell.c: the doorbells of watches, a pair of loopback sockets whose read
 * end an event loop can select() or WSAPoll(), and the lock that
 * serialises changes of dispositions and of the watch list between
 * threads.
 */
#include "win32.h"

static SRWLOCK lock = SRWLOCK_INIT;

void sp__backend_lock(void) { AcquireSRWLockExclusive(&lock); }
void sp__backend_unlock(void) { ReleaseSRWLockExclusive(&lock); }

int sp__backend_enomem(void) { return ERROR_NOT_ENOUGH_MEMORY; }

int sp__backend_bell_open(sigport_socket_t *rd, sigport_socket_t *wr,
                          const char *fn) {
  sigport_socket_t pair[2];
  int rc = sigport_socketpair(pair);
  if (rc != 0)
    return sp__fail_os(SIGPORT_EOS, sigport_last_oserror(), "%s: %s", fn,
                       "the doorbell's socket pair");
  *rd = pair[0];
  *wr = pair[1];
  return 0;
}

void sp__backend_bell_ring(sigport_socket_t wr) {
  char byte = 0;
  /* At most one byte is ever buffered: nothing to do if it fails. */
  (void)send((SOCKET)wr, &byte, 1, 0);
}

void sp__backend_bell_drain(sigport_socket_t rd) {
  char buf[64];
  while (recv((SOCKET)rd, buf, (int)sizeof buf, 0) > 0) {
  }
}

void sp__backend_bell_close(sigport_socket_t rd, sigport_socket_t wr) {
  closesocket((SOCKET)rd);
  closesocket((SOCKET)wr);
}
