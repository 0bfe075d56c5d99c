/*
 * posix.h: what the files of the POSIX backend share.
 */
#ifndef SIGPORT_POSIX_H
#define SIGPORT_POSIX_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "../backend.h"
#include "../internal.h"

/* The raw handler sigport installs (actions.c). */
void sp__posix_raw_handler(int signum, siginfo_t *si, void *context);

/* The saved original disposition of signum, for restore_for_exec in a
   fork() child: 1 and *out set if there is one (actions.c). */
int sp__posix_saved(int signum, struct sigaction *out);

/* Makes and closes the pause wake pipe (wake.c); fn names the call in a
   failure's message. */
int sp__posix_wake_open(const char *fn);

/* Makes fd non-blocking and close-on-exec: 0, or -1 with errno set. */
int sp__posix_set_nonblock_cloexec(int fd);
void sp__posix_wake_close(void);

/* Converts between sigport_sigset_t and sigset_t (actions.c). Members that
   the system refuses (the C library's reserved signals) are left out. */
void sp__posix_to_sigset(const sigport_sigset_t *in, sigset_t *out);
void sp__posix_from_sigset(const sigset_t *in, sigport_sigset_t *out);

/* Reads SIGPORT_CHILD_FALLBACK, at the first sigport_init() (child.c). */
void sp__posix_child_init(void);
/* Whether the child watches use pidfds (1) or the waitpid fallback (0);
   decided at the first watch. For the tests. */
int sp__posix_child_pidfd(void);

/* Sets the per-signal SA_RESTART choice from sigport_init()'s flags. */
void sp__posix_actions_init(unsigned flags);

/* Whether a siginfo code was set by a sender (kill, sigqueue, tgkill...)
   rather than by the kernel for a fault. */
int sp__posix_code_is_user(int code);

/* Whether a siginfo of this code carries a si_value: POSIX defines it
   only for SI_QUEUE, SI_TIMER, SI_ASYNCIO and SI_MESGQ. For any other
   code (SI_USER from kill(), SI_TKILL, a fault...) the bytes there are
   unspecified: Linux zeroes them, but qemu-user, for one, leaves whatever
   its signal frame held. A delivery without a value reads as value 0. */
static inline int sp__posix_code_has_value(int code) {
  return code == SI_QUEUE || code == SI_TIMER
#if defined(SI_ASYNCIO)
         || code == SI_ASYNCIO
#endif
#if defined(SI_MESGQ)
         || code == SI_MESGQ
#endif
      ;
}

/* System calls made without the C library's wrappers where those are
   cancellation points, retry EINTR or raise SIGPIPE (sys.c). All are
   async-signal-safe. */
/* write() and read(): on Linux the raw system call, never a cancellation
   point. Inline: the trip rings doorbells with the first, and every take
   of a watch drains its doorbell with the second. */
static inline ssize_t sp__posix_write(int fd, const void *buf, size_t n) {
#if defined(__linux__)
  return (ssize_t)syscall(SYS_write, fd, buf, n);
#else
  return write(fd, buf, n);
#endif
}
static inline ssize_t sp__posix_read(int fd, void *buf, size_t n) {
#if defined(__linux__)
  return (ssize_t)syscall(SYS_read, fd, buf, n);
#else
  return read(fd, buf, n);
#endif
}
#if defined(MSG_NOSIGNAL)
/* send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT): no SIGPIPE, never
   blocks; on Linux the raw system call. */
ssize_t sp__posix_send(int fd, const void *buf, size_t n);
#endif
/* One rt_sigtimedwait (sigtimedwait elsewhere): the signal number, or -1
   with errno (EAGAIN when the time ran out, EINTR). ns < 0 waits without a
   limit. Not a cancellation point on Linux; the waits make it one. */
int sp__posix_sigtimedwait(const sigset_t *set, siginfo_t *si, int64_t ns);
/* write() that raises no SIGPIPE: where the reader is gone it fails with
   EPIPE, and the SIGPIPE the system made is taken back (one pending
   before stays pending). The calling thread must have SIGPIPE blocked, as
   it is in the trip. */
ssize_t sp__posix_write_nosigpipe(int fd, const void *buf, size_t n);
/* Every signal, the C library's reserved ones included (Linux), for the
   trip's sa_mask. */
void sp__posix_fill_trip_mask(sigset_t *set);


/* The system calls of the paths that make things, through the test seam
   (internal.h): the direct call, unless a test build makes this one fail,
   when it returns -1 with the errno the test chose. */
static inline int sp__posix_faulted(enum sp_call which) {
  int err = SP_FAULT(which);
  if (err == 0) return 0;
  errno = err;
  return 1;
}

static inline int sp__sys_pipe(int fds[2]) {
  return sp__posix_faulted(SP_CALL_PIPE) ? -1 : pipe(fds);
}

/* fcntl() with an int argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD). */
static inline int sp__sys_fcntl(int fd, int cmd, int arg) {
  return sp__posix_faulted(SP_CALL_FCNTL) ? -1 : fcntl(fd, cmd, arg);
}

static inline int sp__sys_sigaction(int signum, const struct sigaction *sa,
                                    struct sigaction *old) {
  return sp__posix_faulted(SP_CALL_SIGACTION) ? -1
                                              : sigaction(signum, sa, old);
}

static inline int sp__sys_socketpair(int domain, int type, int protocol,
                                     int fds[2]) {
  return sp__posix_faulted(SP_CALL_SOCKETPAIR)
             ? -1
             : socketpair(domain, type, protocol, fds);
}

#endif
