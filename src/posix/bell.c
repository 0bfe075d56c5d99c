/*
 * bell.c: the doorbells of watches (an eventfd on Linux, a pipe
 * elsewhere), and the lock that serialises changes of dispositions and of
 * the watch list between threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/eventfd.h>
#endif

#include "posix.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void sp__backend_lock(void) { (void)pthread_mutex_lock(&lock); }
void sp__backend_unlock(void) { (void)pthread_mutex_unlock(&lock); }

int sp__backend_enomem(void) { return ENOMEM; }

#if defined(__linux__)

int sp__backend_bell_open(sigport_socket_t *rd, sigport_socket_t *wr,
                          const char *fn) {
  int fd = sp__posix_faulted(SP_CALL_EVENTFD)
               ? -1
               : eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return sp__fail_os(SIGPORT_EOS, errno, "%s: eventfd", fn);
  *rd = *wr = fd;
  return 0;
}

void sp__backend_bell_ring(sigport_socket_t wr) {
  uint64_t one = 1;
  /* The raw write: no cancellation point. It cannot fail but for a full
     counter, which one wakeup a drain cannot make. */
  ssize_t n = sp__posix_write(wr, &one, sizeof one);
  (void)n;
}

/* Not a cancellation point (the raw system call): a take cancelled
   between this drain and its clearing of `armed` would leave the watch
   armed with nothing to read, and its fd would never wake anyone again. */
void sp__backend_bell_drain(sigport_socket_t rd) {
  uint64_t value;
  ssize_t n = sp__posix_read(rd, &value, sizeof value);
  (void)n;
}

void sp__backend_bell_close(sigport_socket_t rd, sigport_socket_t wr) {
  (void)wr;
  close(rd);
}

#else

int sp__backend_bell_open(sigport_socket_t *rd, sigport_socket_t *wr,
                          const char *fn) {
  int fds[2];
  if (sp__sys_pipe(fds) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "%s: pipe", fn);
  if (sp__posix_set_nonblock_cloexec(fds[0]) != 0 ||
      sp__posix_set_nonblock_cloexec(fds[1]) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return sp__fail_os(SIGPORT_EOS, err, "%s: fcntl", fn);
  }
  *rd = fds[0];
  *wr = fds[1];
  return 0;
}

void sp__backend_bell_ring(sigport_socket_t wr) {
  char byte = 0;
  /* The reader is the watch's own and outlives every trip that rings. */
  ssize_t n = sp__posix_write(wr, &byte, 1);
  (void)n;
}

/* read() is a cancellation point here: cancellation is held off for the
   drain, for the reason given for the eventfd's. */
void sp__backend_bell_drain(sigport_socket_t rd) {
  char buf[64];
  int old;
  (void)pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  while (read(rd, buf, sizeof buf) > 0) {
  }
  (void)pthread_setcancelstate(old, NULL);
}

void sp__backend_bell_close(sigport_socket_t rd, sigport_socket_t wr) {
  close(rd);
  close(wr);
}

#endif
