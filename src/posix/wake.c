/*
 * wake.c: the wakeup fd written by the trip, sigport_pause()'s wake pipe,
 * sigport_socketpair(), and the system's error texts.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix.h"

/* The pause wake pipe: read end, write end. Atomic because the trip reads
   the write end while a fork() child makes a new pipe. */
static sp_atomic_int wake_rd = -1, wake_wr = -1;

int sp__posix_set_nonblock_cloexec(int fd) {
  int fl = sp__sys_fcntl(fd, F_GETFL, 0);
  if (fl < 0 || sp__sys_fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
  fl = sp__sys_fcntl(fd, F_GETFD, 0);
  if (fl < 0 || sp__sys_fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0) return -1;
  return 0;
}

int sp__posix_wake_open(const char *fn) {
  int fds[2];
  if (sp__sys_pipe(fds) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "%s: the wake pipe: pipe", fn);
  if (sp__posix_set_nonblock_cloexec(fds[0]) != 0 ||
      sp__posix_set_nonblock_cloexec(fds[1]) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return sp__fail_os(SIGPORT_EOS, err, "%s: the wake pipe: fcntl", fn);
  }
  atomic_store_explicit(&wake_rd, fds[0], SP_RELAXED);
  /* seq_cst: sigport_pause() then looks at the pending flag, and a trip
     that set the flag before this store sees the pipe or is seen. */
  atomic_store_explicit(&wake_wr, fds[1], SP_SEQ_CST);
  return 0;
}

void sp__posix_wake_close(void) {
  int rd = atomic_exchange_explicit(&wake_rd, -1, SP_RELAXED);
  int wr = atomic_exchange_explicit(&wake_wr, -1, SP_ACQ_REL);
  if (rd >= 0) close(rd);
  if (wr >= 0) close(wr);
}

void sp__backend_pause_wake(void) {
  int wr = atomic_load_explicit(&wake_wr, SP_SEQ_CST);
  if (wr >= 0) {
    char byte = 0;
    /* A full pipe already holds a wakeup; nothing is lost. Its reader is
       sigport's own, so it never raises SIGPIPE. */
    ssize_t n = sp__posix_write(wr, &byte, 1);
    (void)n;
  }
}

int sp__backend_pause_wait(void) {
  struct pollfd p;
  char buf[64];
  p.fd = atomic_load_explicit(&wake_rd, SP_RELAXED);
  if (p.fd < 0) {
    /* A fork() child could not make its pipe (no fd left, say): made now,
       or the failure is this call's. The caller looks at the pending flag
       again before it waits on the new pipe. */
    return sp__posix_wake_open("sigport_pause");
  }
  p.events = POLLIN;
  p.revents = 0;
  if (poll(&p, 1, -1) < 0 && errno != EINTR)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_pause: poll");
  while (read(p.fd, buf, sizeof buf) > 0) {
  }
  return 0;
}

/* The wakeup fd when it is a socket, else -1: set by the check before the
   fd is, so the trip sends to a socket and writes to anything else. */
static sp_atomic_int wakeup_socket = -1;

int sp__backend_wakeup_write(sigport_socket_t fd, int signum, int *full) {
  unsigned char byte = (unsigned char)signum;
  int err;
#if defined(MSG_NOSIGNAL)
  if (fd == atomic_load_explicit(&wakeup_socket, SP_RELAXED)) {
    if (sp__posix_send(fd, &byte, 1) == 1) return 0;
    err = errno;
    /* ENOTSOCK: the fd changed under this trip; written below. */
    if (err != ENOTSOCK) {
      *full = err == EAGAIN || err == EWOULDBLOCK;
      return err;
    }
  }
#endif
  /* A pipe whose reader is gone fails with EPIPE, and the SIGPIPE it
     made is taken back. */
  if (sp__posix_write_nosigpipe(fd, &byte, 1) == 1) return 0;
  err = errno;
  *full = err == EAGAIN || err == EWOULDBLOCK;
  return err;
}

int sp__backend_check_wakeup_fd(sigport_socket_t fd) {
  struct stat st;
  int fl;
  if (fd < 0)
    return sp__fail(SIGPORT_EVALUE, "sigport_set_wakeup_fd: invalid fd %d", fd);
  if (fstat(fd, &st) != 0)
    return sp__fail_os(SIGPORT_EOS, errno,
                       "sigport_set_wakeup_fd: invalid fd %d", fd);
  fl = fcntl(fd, F_GETFL);
  if (fl < 0)
    return sp__fail_os(SIGPORT_EOS, errno,
                       "sigport_set_wakeup_fd: invalid fd %d", fd);
  if (!(fl & O_NONBLOCK))
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_set_wakeup_fd: the fd %d must be in "
                    "non-blocking mode",
                    fd);
  atomic_store_explicit(&wakeup_socket, S_ISSOCK(st.st_mode) ? fd : -1,
                        SP_RELAXED);
  return 0;
}

int sigport_socketpair(sigport_socket_t pair[2]) {
  int fds[2], type = SOCK_STREAM;
  int rc = sp__check_ptr(pair, "sigport_socketpair", "pair");
  if (rc != 0) return rc;
#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
  type |= SOCK_NONBLOCK | SOCK_CLOEXEC;
#endif
  if (sp__sys_socketpair(AF_UNIX, type, 0, fds) != 0)
    return sp__fail_os(SIGPORT_EOS, errno, "sigport_socketpair: socketpair");
  if (sp__posix_set_nonblock_cloexec(fds[0]) != 0 ||
      sp__posix_set_nonblock_cloexec(fds[1]) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return sp__fail_os(SIGPORT_EOS, err, "sigport_socketpair: fcntl");
  }
  pair[0] = fds[0];
  pair[1] = fds[1];
  return 0;
}

void sp__backend_error_text(int err, char *buf, size_t size) {
  if (strerror_r(err, buf, size) != 0) snprintf(buf, size, "error %d", err);
}

void sp__backend_yield(void) { sched_yield(); }
