/*
 * child.c: child watches (SPEC 6.3), the part that is the same everywhere:
 * the table of watched children, the queue of those reaped and not yet
 * reported, the SIGPORT_CHILD_ANY watch, and the reports at dispatch. How
 * an end is heard of and reaped is the backend's (child.h).
 *
 * The table is a hash index by pid (open addressing, linear probing,
 * deletion by moving the entries after back) over entries allocated one by
 * one, so that an entry's address, which the backend hands to epoll or to
 * a wait callback, stays put. The watched entries are also on a list, for
 * the backends that must look at each.
 */
#include <string.h>

#include "backend.h"
#include "child.h"
#include "internal.h"
#include "trip.h"

/* Under the lock. */
static struct sp_child **slots; /* the index: entries or NULL */
static size_t nslots;           /* a power of two, or 0 */
static size_t nwatched;
static struct sp_child *watched; /* every SP_CHILD_WATCHED entry */
static struct sp_child *ready_head, *ready_tail;
static int started;
static struct {
  int on;
  sigport_child_fn fn;
  void *arg;
} any;
/* An entry kept for SIGPORT_CHILD_ANY's next report. */
static struct sp_child *spare;
/* Whether sigport_child_fd() has handed the fd out: then it stays until
   the last shutdown. */
static int fd_given;

/* Keeps sp__state.child_poll up to date. Under the lock. */
static void update_poll(void) {
  atomic_store_explicit(&sp__state.child_poll,
                        started && fd_given && (watched != NULL || any.on),
                        SP_RELAXED);
}

int sp__child_poll(void) {
  if (!sp__backend_child_ready()) return 0;
  atomic_store_explicit(&sp__state.child_due, 1, SP_RELAXED);
  return 1;
}

/* In a fork() child: the parent's entries and index, which the child
   forgets but cannot free in the fork handler; its next child watch call
   or its last shutdown frees them. */
static struct {
  struct sp_child *watched, *ready;
  struct sp_child **slots;
} forked;

static void free_forked(void) {
  struct sp_child *c;
  while ((c = forked.watched) != NULL) {
    forked.watched = c->next;
    free(c);
  }
  while ((c = forked.ready) != NULL) {
    forked.ready = c->next;
    free(c);
  }
  free(forked.slots);
  forked.slots = NULL;
}

static size_t hash_of(sigport_pid_t pid) {
  return (size_t)((uint64_t)(uint32_t)pid * UINT64_C(0x9E3779B97F4A7C15) >>
                  32);
}

/* The slot of pid in the index, or the empty slot where it would go.
   nslots > 0. */
static size_t slot_of(sigport_pid_t pid) {
  size_t mask = nslots - 1, i = hash_of(pid) & mask;
  while (slots[i] != NULL && slots[i]->pid != pid) i = (i + 1) & mask;
  return i;
}

struct sp_child *sp__child_find(sigport_pid_t pid) {
  if (nslots == 0) return NULL;
  return slots[slot_of(pid)];
}

/* Room for one more entry at half load at most: 0, or -1 when memory ran
   out (nothing changed). */
static int reserve(void) {
  struct sp_child **grown;
  size_t n, i, old = nslots;
  if ((nwatched + 1) * 2 <= nslots) return 0;
  n = nslots != 0 ? nslots * 2 : 16;
  grown = sp__calloc(n, sizeof *grown);
  if (grown == NULL) return -1;
  for (i = 0; i < old; i++) {
    size_t j;
    if (slots[i] == NULL) continue;
    for (j = hash_of(slots[i]->pid) & (n - 1); grown[j] != NULL;
         j = (j + 1) & (n - 1)) {
    }
    grown[j] = slots[i];
  }
  free(slots);
  slots = grown;
  nslots = n;
  return 0;
}

static void index_add(struct sp_child *c) {
  slots[slot_of(c->pid)] = c;
  nwatched++;
  c->prev = NULL;
  c->next = watched;
  if (watched != NULL) watched->prev = c;
  watched = c;
  update_poll();
}

/* Takes c out of the index and the watched list. */
static void index_remove(struct sp_child *c) {
  size_t mask = nslots - 1, i = slot_of(c->pid), j;
  slots[i] = NULL;
  /* The entries after the hole that would no longer be found move back. */
  for (j = (i + 1) & mask; slots[j] != NULL; j = (j + 1) & mask) {
    size_t home = hash_of(slots[j]->pid) & mask;
    if (((j - home) & mask) >= ((j - i) & mask)) {
      slots[i] = slots[j];
      slots[j] = NULL;
      i = j;
    }
  }
  nwatched--;
  if (c->prev != NULL) c->prev->next = c->next;
  else watched = c->next;
  if (c->next != NULL) c->next->prev = c->prev;
  c->prev = c->next = NULL;
  update_poll();
}

static void ready_push(struct sp_child *c) {
  c->state = SP_CHILD_ENDED;
  c->next = NULL;
  if (ready_tail != NULL) ready_tail->next = c;
  else ready_head = c;
  ready_tail = c;
}

struct sp_child *sp__child_first(void) { return watched; }
struct sp_child *sp__child_next(const struct sp_child *c) { return c->next; }
int sp__child_any_watched(void) { return any.on; }

void sp__child_reaped(struct sp_child *c, const sigport_child_status_t *st) {
  index_remove(c);
  sp__backend_child_close(c);
  c->st = *st;
  c->st.pid = c->pid;
  ready_push(c);
}

int sp__child_any_reserve(void) {
  if (spare == NULL) spare = sp__calloc(1, sizeof *spare);
  return spare != NULL ? 0 : -1;
}

void sp__child_any_reaped(const sigport_child_status_t *st) {
  struct sp_child *c = spare;
  spare = NULL;
  c->pid = st->pid;
  c->fn = any.fn;
  c->arg = any.arg;
  c->is_any = 1;
  c->st = *st;
  ready_push(c);
}

void sp__child_due(void) {
  atomic_store_explicit(&sp__state.child_due, 1, SP_SEQ_CST);
#if defined(SIGPORT_SIGCHLD)
  sp__trip_wake(SIGPORT_SIGCHLD);
#else
  (void)atomic_exchange_explicit(&sigport__pending_flag, 1, SP_SEQ_CST);
  if (atomic_load_explicit(&sp__state.sleeping, SP_SEQ_CST))
    sp__backend_pause_wake();
#endif
  /* Last: a loop woken by the fd finds the harvest due. */
  sp__backend_child_kick();
}

/* The pid as a number for a message. */
static long long pid_number(sigport_pid_t pid) { return (long long)pid; }

static int check_pid(sigport_pid_t pid, const char *fn) {
  if (pid == SIGPORT_CHILD_ANY) return 0;
#if defined(_WIN32)
  if (pid == 0)
#else
  if (pid <= 0)
#endif
    return sp__fail(SIGPORT_EVALUE,
                    "%s: pid %lld is not a process id (SIGPORT_CHILD_ANY is "
                    "the watch of every child)",
                    fn, pid_number(pid));
  return 0;
}

static int start(const char *fn) {
  int rc;
  free_forked();
  if (started) return 0;
  rc = sp__backend_child_start(fn);
  if (rc == 0) started = 1;
  return rc;
}

/* After a failed first watch: nothing of it is left, SIGCHLD's
   disposition included. */
static void stop_if_unused(void) {
  if (!started || fd_given || any.on || watched != NULL || ready_head != NULL)
    return;
  sp__backend_child_stop();
  started = 0;
}

int sigport_watch_child(sigport_pid_t pid, sigport_child_fn fn, void *arg) {
  static const char name[] = "sigport_watch_child";
  struct sp_child *c;
  int rc;
  if (fn == NULL)
    return sp__fail(SIGPORT_EVALUE, "%s: fn must not be NULL", name);
  rc = check_pid(pid, name);
  if (rc != 0) return rc;
  if (!sp__initialised())
    return sp__fail(SIGPORT_EVALUE,
                    "%s: sigport is not initialised: call sigport_init() first",
                    name);
#if defined(_WIN32)
  if (pid == SIGPORT_CHILD_ANY)
    return sp__fail(SIGPORT_ENOTAVAIL,
                    "%s: SIGPORT_CHILD_ANY is not available on Windows, where "
                    "a process adopts no orphans",
                    name);
#endif
  sp__backend_lock();
  if (pid == SIGPORT_CHILD_ANY) {
    if (any.on) {
      rc = sp__fail(SIGPORT_EVALUE, "%s: SIGPORT_CHILD_ANY is watched already",
                    name);
    } else if ((rc = start(name)) == 0) {
      any.on = 1;
      any.fn = fn;
      any.arg = arg;
      update_poll();
      /* Children that ended before are reaped at the next dispatch. */
      sp__child_due();
    }
    sp__backend_unlock();
    return rc;
  }
  if (sp__child_find(pid) != NULL) {
    sp__backend_unlock();
    return sp__fail(SIGPORT_EVALUE, "%s: pid %lld is watched already", name,
                    pid_number(pid));
  }
  rc = start(name);
  if (rc != 0) {
    sp__backend_unlock();
    return rc;
  }
  c = sp__calloc(1, sizeof *c);
  if (c == NULL || reserve() != 0) {
    rc = sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                     name);
    stop_if_unused();
    sp__backend_unlock();
    free(c);
    return rc;
  }
  c->pid = pid;
  c->fn = fn;
  c->arg = arg;
  c->state = SP_CHILD_WATCHED;
  c->handle = c->wait = -1;
  rc = sp__backend_child_open(c, name);
  if (rc != 0) {
    stop_if_unused();
    sp__backend_unlock();
    free(c);
    return rc;
  }
  index_add(c);
  sp__backend_unlock();
  return 0;
}

/* Drops the queued reports that `drop` chooses; returns how many. */
static int drop_ready(int (*drop)(const struct sp_child *, sigport_pid_t),
                      sigport_pid_t pid) {
  struct sp_child **link = &ready_head, *c, *last = NULL;
  int n = 0;
  while ((c = *link) != NULL) {
    if (drop(c, pid)) {
      *link = c->next;
      free(c);
      n++;
    } else {
      last = c;
      link = &c->next;
    }
  }
  ready_tail = last;
  return n;
}

static int is_pid(const struct sp_child *c, sigport_pid_t pid) {
  return !c->is_any && c->pid == pid;
}

static int is_any(const struct sp_child *c, sigport_pid_t pid) {
  (void)pid;
  return c->is_any;
}

static int dropped_all(const struct sp_child *c, sigport_pid_t pid) {
  (void)c;
  (void)pid;
  return 1;
}

int sigport_unwatch_child(sigport_pid_t pid) {
  static const char name[] = "sigport_unwatch_child";
  struct sp_child *c;
  int rc = check_pid(pid, name);
  if (rc != 0) return rc;
  if (!sp__initialised())
    return sp__fail(SIGPORT_EVALUE,
                    "%s: sigport is not initialised: call sigport_init() first",
                    name);
  sp__backend_lock();
  if (pid == SIGPORT_CHILD_ANY) {
    if (!any.on) {
      rc = sp__fail(SIGPORT_EVALUE, "%s: SIGPORT_CHILD_ANY is not watched",
                    name);
    } else {
      any.on = 0;
      any.fn = NULL;
      any.arg = NULL;
      update_poll();
      drop_ready(is_any, pid);
    }
    sp__backend_unlock();
    return rc;
  }
  c = sp__child_find(pid);
  if (c != NULL) {
    index_remove(c);
    sp__backend_child_close(c);
    free(c);
  } else if (drop_ready(is_pid, pid) == 0) {
    rc = sp__fail(SIGPORT_EVALUE,
                  "%s: pid %lld is not watched (never watched, unwatched, "
                  "or its callback ran)",
                  name, pid_number(pid));
  }
  sp__backend_unlock();
  return rc;
}

sigport_socket_t sigport_child_fd(void) {
  static const char name[] = "sigport_child_fd";
  sigport_socket_t fd = SIGPORT_NO_SOCKET;
  if (!sp__initialised()) {
    sp__fail(SIGPORT_EVALUE,
             "%s: sigport is not initialised: call sigport_init() first",
             name);
    return SIGPORT_NO_SOCKET;
  }
  sp__backend_lock();
  if (start(name) == 0) {
    fd = sp__backend_child_fd();
    fd_given = 1;
    update_poll();
  }
  sp__backend_unlock();
  return fd;
}

int sp__child_dispatch(void) {
  int result = 0;
  if (!atomic_exchange_explicit(&sp__state.child_due, 0, SP_ACQ_REL)) return 0;
  sp__backend_lock();
  if (started) sp__backend_child_harvest();
  for (;;) {
    struct sp_child *c = ready_head;
    sigport_child_status_t st;
    sigport_child_fn fn;
    void *arg;
    if (c == NULL) break;
    ready_head = c->next;
    if (ready_head == NULL) ready_tail = NULL;
    st = c->st;
    fn = c->fn;
    arg = c->arg;
    free(c);
    /* Without the lock: the callback may watch, unwatch, or dispatch. */
    sp__backend_unlock();
    result = fn(&st, arg);
    sp__backend_lock();
    if (result != 0) {
      /* The others are for the next dispatch. */
      if (ready_head != NULL) sp__child_due();
      break;
    }
  }
  sp__backend_unlock();
  return result;
}

void sp__child_shutdown(void) {
  struct sp_child *c;
  free_forked();
  while ((c = watched) != NULL) {
    index_remove(c);
    sp__backend_child_close(c);
    free(c);
  }
  drop_ready(dropped_all, 0);
  free(slots);
  slots = NULL;
  nslots = 0;
  free(spare);
  spare = NULL;
  any.on = 0;
  any.fn = NULL;
  any.arg = NULL;
  if (started) sp__backend_child_stop();
  started = 0;
  fd_given = 0;
  update_poll();
}

void sp__child_after_fork(void) {
  if (!started) return;
  sp__backend_child_after_fork();
  /* The entries are the parent's: kept aside, to be freed later (no
     free() here). The aside is empty: start() emptied it before the
     machinery that this fork found started. */
  forked.watched = watched;
  forked.ready = ready_head;
  forked.slots = slots;
  slots = NULL;
  nslots = 0;
  nwatched = 0;
  watched = NULL;
  ready_head = ready_tail = NULL;
  any.on = 0;
  any.fn = NULL;
  any.arg = NULL;
  started = 0;
  fd_given = 0;
  update_poll();
}
