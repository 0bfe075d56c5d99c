/*
 * child.c (POSIX): how the child watches hear of an end and reap
 * (child.h).
 *
 * - Linux 5.4 and later: a pidfd per watched child, in one epoll set (the
 *   child fd). A dispatch after a SIGCHLD asks the set which pidfds are
 *   readable and reaps exactly those with waitid(P_PIDFD, ...), so its
 *   cost grows with the exits, not with the children watched. (pidfd_open
 *   came in 5.3; waitid's P_PIDFD, which this needs, in 5.4. Both are
 *   probed at the first watch.)
 * - The fallback, elsewhere, on an older kernel, or when
 *   SIGPORT_CHILD_FALLBACK=1 was in the environment at the first
 *   sigport_init(): waitid(P_PID, pid, WNOHANG) for each watched child at
 *   each SIGCHLD. The child fd is then a watch of SIGCHLD's doorbell (in
 *   an epoll set of its own on Linux, so the fd is of one kind there). A
 *   child for which pidfd_open() finds no descriptor left (EMFILE,
 *   ENFILE) is looked at that way too, beside the pidfds of the others.
 * - The BSDs and macOS: kqueue's EVFILT_PROC with NOTE_EXIT, one event per
 *   watched child in one kqueue (the child fd), so that a dispatch reaps
 *   exactly the children that ended, as with pidfds. (Written for those
 *   systems; the builds that run the tests are Linux and Windows.)
 * - SIGPORT_CHILD_ANY, in all: waitid(P_ALL, ..., WNOWAIT) names the
 *   next child that ended; a watched one is reaped for its watch, another
 *   for SIGPORT_CHILD_ANY.
 *
 * sigport holds SIGCHLD while it has child watches: its raw handler is
 * installed and counts each delivery for dispatch, which harvests.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "posix.h"
#include "../child.h"
#include "../watch.h"

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/syscall.h>
#if !defined(P_PIDFD)
#define P_PIDFD 3
#endif
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
/* (NetBSD's kevent udata was an integer until 10: the fallback there.) */
#define SP_CHILD_KQUEUE 1
#include <sys/event.h>
#include <sys/time.h>
#endif

/* SIGPORT_CHILD_FALLBACK=1 at the first sigport_init(). */
static int forced_fallback;
/* Whether each child has an event source of its own (a pidfd, a kqueue
   event), rather than the fallback: decided at start. */
static int use_pidfd;
/* The child fd: the epoll set (Linux), the kqueue (BSD, macOS), else the
   doorbell watch's fd. */
static int child_fd = -1;
/* The fallback's doorbell: a watch of SIGCHLD. */
static sigport_watch_t *bell;
/* With pidfds: the doorbell that sp__backend_child_kick() rings, in the
   epoll set (Linux), for the ends that no pidfd tells of (a child that
   ended before its watch, reports left for the next dispatch). The
   fallback's watch is its own doorbell. */
static sigport_socket_t kick_rd = -1, kick_wr = -1;

/* With pidfds: the watched children that have none (pidfd_open found no
   descriptor left), looked at by pid as in the fallback. */
static size_t without_pidfd;

void sp__posix_child_init(void) {
  const char *v = getenv("SIGPORT_CHILD_FALLBACK");
  forced_fallback = v != NULL && strcmp(v, "1") == 0;
}

#if defined(__linux__)
static int sys_pidfd_open(sigport_pid_t pid) {
#if defined(SYS_pidfd_open)
  if (sp__posix_faulted(SP_CALL_PIDFD_OPEN)) return -1;
  return (int)syscall(SYS_pidfd_open, (long)pid, 0L);
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

static int sys_epoll_create(void) {
  return sp__posix_faulted(SP_CALL_EPOLL_CREATE) ? -1
                                                 : epoll_create1(EPOLL_CLOEXEC);
}

static int sys_epoll_add(int fd, void *ptr) {
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.ptr = ptr;
  return sp__posix_faulted(SP_CALL_EPOLL_CTL)
             ? -1
             : epoll_ctl(child_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* Whether this kernel has pidfd_open and waitid(P_PIDFD): a pidfd of this
   process, which is no child of its own, must give ECHILD (an older
   kernel: EINVAL). */
static int pidfd_works(void) {
#if defined(SYS_pidfd_open)
  siginfo_t si;
  /* Not through the seam: a failure here is no error, only the
     fallback. */
  int fd = (int)syscall(SYS_pidfd_open, (long)getpid(), 0L), ok;
  if (fd < 0) return 0;
  memset(&si, 0, sizeof si);
  ok = waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG) < 0 &&
       errno == ECHILD;
  close(fd);
  return ok;
#else
  return 0;
#endif
}
#endif

#if defined(SP_CHILD_KQUEUE)
/* Adds (or deletes) c's NOTE_EXIT event: 0, or -1 with errno (ESRCH: it
   has exited). */
static int kq_change(struct sp_child *c, int flags) {
  struct kevent kev;
  int rc;
  EV_SET(&kev, (uintptr_t)c->pid, EVFILT_PROC, flags, NOTE_EXIT, 0, c);
  do {
    rc = kevent(child_fd, &kev, 1, NULL, 0, NULL);
  } while (rc < 0 && errno == EINTR);
  return rc < 0 ? -1 : 0;
}
#endif

/* Puts the kick's read end in the set: 0, or -1 after sp__fail_os(). */
static int add_kick(const char *fn) {
#if defined(__linux__)
  if (sys_epoll_add((int)kick_rd, &kick_rd) != 0) {
    sp__fail_os(SIGPORT_EOS, errno, "%s: epoll_ctl", fn);
    return -1;
  }
#elif defined(SP_CHILD_KQUEUE)
  struct kevent kev;
  EV_SET(&kev, (uintptr_t)kick_rd, EVFILT_READ, EV_ADD, 0, 0, &kick_rd);
  if (kevent(child_fd, &kev, 1, NULL, 0, NULL) < 0) {
    sp__fail_os(SIGPORT_EOS, errno, "%s: kevent", fn);
    return -1;
  }
#else
  (void)fn;
#endif
  return 0;
}

int sp__backend_child_start(const char *fn) {
  int rc;
#if defined(__linux__)
  use_pidfd = !forced_fallback && pidfd_works();
  child_fd = sys_epoll_create();
  if (child_fd < 0) return sp__fail_os(SIGPORT_EOS, errno, "%s: epoll_create1", fn);
#elif defined(SP_CHILD_KQUEUE)
  use_pidfd = !forced_fallback;
  if (use_pidfd) {
    /* Not inherited by a fork() child; close-on-exec for exec. */
    child_fd = kqueue();
    if (child_fd < 0) return sp__fail_os(SIGPORT_EOS, errno, "%s: kqueue", fn);
    (void)fcntl(child_fd, F_SETFD, FD_CLOEXEC);
  }
#else
  use_pidfd = 0;
#endif
  rc = sp__children_hold(SIGPORT_SIGCHLD);
  if (rc == 0 && use_pidfd) {
    rc = sp__backend_bell_open(&kick_rd, &kick_wr, fn);
    if (rc == 0 && add_kick(fn) != 0) {
      rc = SIGPORT_EOS;
      sp__backend_bell_close(kick_rd, kick_wr);
    }
    if (rc != 0) {
      kick_rd = kick_wr = -1;
      sp__children_release(SIGPORT_SIGCHLD);
    }
  }
  if (rc == 0 && !use_pidfd) {
    rc = sp__watch_open_locked(SIGPORT_SIGCHLD, &bell, fn);
    if (rc != 0) {
      sp__children_release(SIGPORT_SIGCHLD);
    } else {
#if defined(__linux__)
      if (sys_epoll_add((int)sigport_watch_fd(bell), &bell) != 0) {
        rc = sp__fail_os(SIGPORT_EOS, errno, "%s: epoll_ctl", fn);
        (void)sp__watch_close_locked(bell, fn);
        bell = NULL;
        sp__children_release(SIGPORT_SIGCHLD);
      }
#else
      child_fd = (int)sigport_watch_fd(bell);
#endif
    }
  }
#if defined(__linux__)
  if (rc != 0) {
    close(child_fd);
    child_fd = -1;
  }
#elif defined(SP_CHILD_KQUEUE)
  if (rc != 0 && use_pidfd) {
    close(child_fd);
    child_fd = -1;
  }
#endif
  return rc;
}

void sp__backend_child_stop(void) {
  without_pidfd = 0;
  if (kick_rd != -1) sp__backend_bell_close(kick_rd, kick_wr);
  kick_rd = kick_wr = -1;
  if (bell != NULL) {
    /* Out of memory in close leaves the watch open; shutdown's detach of
       every watch takes it then. */
    (void)sp__watch_close_locked(bell, "sigport_shutdown");
    bell = NULL;
  }
  sp__children_release(SIGPORT_SIGCHLD);
#if defined(__linux__)
  if (child_fd >= 0) close(child_fd);
#elif defined(SP_CHILD_KQUEUE)
  if (use_pidfd && child_fd >= 0) close(child_fd);
#endif
  child_fd = -1;
}

sigport_socket_t sp__backend_child_fd(void) { return child_fd; }

int sp__backend_child_ready(void) {
  /* The fallback's fd is the watch's, which the SIGCHLD trip rings
     before it counts the delivery for dispatch: its untaken count says. */
  if (bell != NULL)
    return atomic_load_explicit(&bell->count[SIGPORT_SIGCHLD], SP_RELAXED) !=
           0;
#if defined(__linux__) || defined(SP_CHILD_KQUEUE)
  {
    /* The kernel wakes a pidfd's pollers before it sends SIGCHLD. */
    struct pollfd p;
    p.fd = child_fd;
    p.events = POLLIN;
    p.revents = 0;
    return child_fd >= 0 && poll(&p, 1, 0) == 1;
  }
#else
  return 0;
#endif
}

void sp__backend_child_kick(void) {
  if (kick_wr != -1) {
    sp__backend_bell_ring(kick_wr);
  } else if (bell != NULL) {
    /* The fallback's watch: armed as a trip arms it, and emptied by the
       harvest's takes. */
    sp__watch_arm(bell);
  }
}

/* The status of a child that waitid() reported in *si. */
static void status_of(const siginfo_t *si, sigport_child_status_t *st) {
  memset(st, 0, sizeof *st);
  st->pid = si->si_pid;
  switch (si->si_code) {
    case CLD_EXITED:
      st->exited = 1;
      st->code = si->si_status;
      break;
    case CLD_DUMPED:
      st->core = 1;
      st->signo = si->si_status;
      break;
    default: /* CLD_KILLED */
      st->signo = si->si_status;
      break;
  }
}

/* waitid() without EINTR. */
static int wait_id(idtype_t type, id_t id, siginfo_t *si, int options) {
  int rc;
  do {
    memset(si, 0, sizeof *si);
    rc = waitid(type, id, si, options);
  } while (rc < 0 && errno == EINTR);
  return rc;
}

int sp__backend_child_open(struct sp_child *c, const char *fn) {
  siginfo_t si;
  /* Whether it is a child, and whether it has ended: nothing is reaped. */
  if (wait_id(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
    int err = errno;
    if (err == ECHILD)
      return sp__fail_os(SIGPORT_EOS, ECHILD,
                         "%s: pid %lld is not a child of this process", fn,
                         (long long)c->pid);
    return sp__fail_os(SIGPORT_EOS, err, "%s: waitid(%lld)", fn,
                       (long long)c->pid);
  }
#if defined(__linux__)
  if (use_pidfd) {
    int fd = sys_pidfd_open(c->pid);
    if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
      /* Out of descriptors: this child is looked at by pid at each
         SIGCHLD, as in the fallback, and the others keep their pidfds. */
      without_pidfd++;
    } else if (fd < 0) {
      return sp__fail_os(SIGPORT_EOS, errno, "%s: pidfd_open(%lld)", fn,
                         (long long)c->pid);
    } else if (sys_epoll_add(fd, c) != 0) {
      int err = errno;
      close(fd);
      return sp__fail_os(SIGPORT_EOS, err, "%s: epoll_ctl", fn);
    } else {
      c->handle = fd;
    }
  }
#elif defined(SP_CHILD_KQUEUE)
  if (use_pidfd) {
    if (kq_change(c, EV_ADD | EV_ONESHOT) == 0) {
      c->handle = 1; /* an event, no descriptor */
    } else if (errno == ESRCH) {
      /* Exited already: reaped by pid at the next dispatch (due below). */
      without_pidfd++;
    } else {
      return sp__fail_os(SIGPORT_EOS, errno, "%s: kevent(%lld)", fn,
                         (long long)c->pid);
    }
  }
#endif
  /* Ended already: its SIGCHLD may have come before sigport held the
     signal, so the next dispatch is told to look. */
  if (si.si_pid == c->pid) sp__child_due();
  return 0;
}

void sp__backend_child_close(struct sp_child *c) {
#if defined(__linux__)
  if (use_pidfd && c->handle < 0) without_pidfd--;
  if (c->handle >= 0) {
    /* Out of the set first: a fork() child may still hold a copy of the
       pidfd, which would keep it in the set after close. */
    (void)epoll_ctl(child_fd, EPOLL_CTL_DEL, (int)c->handle, NULL);
    close((int)c->handle);
  }
#elif defined(SP_CHILD_KQUEUE)
  if (use_pidfd && c->handle < 0) without_pidfd--;
  /* A one-shot event that fired is gone already (ENOENT). */
  if (c->handle >= 0) (void)kq_change(c, EV_DELETE);
#endif
  c->handle = -1;
}

/* Reaps c if it ended: with `type` and `id` naming it. */
static void reap(struct sp_child *c, idtype_t type, id_t id) {
  siginfo_t si;
  sigport_child_status_t st;
  if (wait_id(type, id, &si, WEXITED | WNOHANG) < 0) {
    if (errno != ECHILD) return;
    /* Someone else reaped it. */
    memset(&st, 0, sizeof st);
    st.lost = 1;
    sp__child_reaped(c, &st);
    return;
  }
  if (si.si_pid == 0) return; /* still running */
  status_of(&si, &st);
  sp__child_reaped(c, &st);
}

#if defined(__linux__)
static void harvest_pidfds(void) {
  struct epoll_event ev[64];
  int n, i, rounds = 0;
  do {
    n = epoll_wait(child_fd, ev, 64, 0);
    for (i = 0; i < n; i++) {
      struct sp_child *c = ev[i].data.ptr;
      if (ev[i].data.ptr == (void *)&kick_rd) continue;
      reap(c, (idtype_t)P_PIDFD, (id_t)c->handle);
    }
    /* A full batch may have more behind it; a pidfd that stays readable
       without an end (none should) cannot keep this going. */
  } while (n == 64 && ++rounds < 1024);
}
#elif defined(SP_CHILD_KQUEUE)
static void harvest_events(void) {
  struct kevent ev[64];
  struct timespec none = {0, 0};
  int n, i, rounds = 0;
  do {
    n = kevent(child_fd, NULL, 0, ev, 64, &none);
    for (i = 0; i < n; i++) {
      struct sp_child *c = ev[i].udata;
      if (ev[i].udata == (void *)&kick_rd) continue;
      reap(c, P_PID, (id_t)c->pid);
    }
  } while (n == 64 && ++rounds < 1024);
}
#endif

/* The children that SIGPORT_CHILD_ANY reaps: every child that ended, each
   to its own watch if it has one. */
static void harvest_any(void) {
  for (;;) {
    siginfo_t si;
    sigport_child_status_t st;
    struct sp_child *c;
    if (wait_id(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0) return;
    if (si.si_pid == 0) return;
    c = sp__child_find(si.si_pid);
    if (c != NULL) {
      reap(c, P_PID, (id_t)si.si_pid);
      continue;
    }
    /* Memory for the report first: an unreported reap would lose it. */
    if (sp__child_any_reserve() != 0) {
      sp__child_due();
      return;
    }
    if (wait_id(P_PID, (id_t)si.si_pid, &si, WEXITED | WNOHANG) < 0 ||
        si.si_pid == 0)
      continue;
    status_of(&si, &st);
    sp__child_any_reaped(&st);
  }
}

void sp__backend_child_harvest(void) {
  /* Emptied first: a kick from now on comes with the harvest due again. */
  if (kick_rd != -1) sp__backend_bell_drain(kick_rd);
  if (bell != NULL) {
    /* Emptied first: a SIGCHLD from now on makes it readable again. */
    sigport_siginfo_t info;
    while (sigport_watch_take(bell, &info) != 0) {
    }
  }
#if defined(__linux__)
  if (use_pidfd) harvest_pidfds();
#elif defined(SP_CHILD_KQUEUE)
  if (use_pidfd) harvest_events();
#endif
  if (!use_pidfd || without_pidfd > 0) {
    struct sp_child *c, *next;
    for (c = sp__child_first(); c != NULL; c = next) {
      next = sp__child_next(c);
      if (c->handle < 0) reap(c, P_PID, (id_t)c->pid);
    }
  }
  if (sp__child_any_watched()) harvest_any();
}

void sp__backend_child_after_fork(void) {
  if (kick_rd != -1) sp__backend_bell_close(kick_rd, kick_wr);
  kick_rd = kick_wr = -1;
#if defined(__linux__)
  struct sp_child *c;
  for (c = sp__child_first(); c != NULL; c = sp__child_next(c))
    if (c->handle >= 0) close((int)c->handle);
  if (child_fd >= 0) close(child_fd);
#endif
  child_fd = -1;
  without_pidfd = 0;
  /* The watch is the parent's: sp__watch_after_fork() closes its
     doorbell. */
  bell = NULL;
  sp__children_release(SIGPORT_SIGCHLD);
}

int sp__posix_child_pidfd(void) { return use_pidfd; }
