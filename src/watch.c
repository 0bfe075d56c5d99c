/*
 * watch.c: watches (SPEC 6.1), consumers of signals of their own, with
 * exact counts, usable from any thread: the published list the trip walks,
 * open, take and close.
 *
 * The list is copied and swapped: open and close make a new array under
 * the lock, store its pointer, wait for the trips that may still walk the
 * old one, and only then free the old array (and, for close, the watch).
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "internal.h"
#include "watch.h"

#define SP_WATCH_FLAGS SIGPORT_WATCH_QUEUE

static struct sp_watch_list *current_list(void) {
  return atomic_load_explicit(&sp__state.watches, SP_RELAXED);
}

/* In a fork() child: the parent's list, which the child no longer
   publishes. sp__watch_after_fork() cannot free it (it is
   async-signal-safe); the child's next change of the watches, or its
   last shutdown, does. Under the lock. */
static struct sp_watch_list *forked_list;

static void free_forked_list(void) {
  free(forked_list);
  forked_list = NULL;
}

/* A copy of the current list with `add` appended (if not NULL) and
   `remove` left out (if not NULL); NULL, with *empty set, when the result
   has no watch, and NULL without it when memory ran out. Under the
   lock. */
static struct sp_watch_list *copy_list(struct sigport_watch *add,
                                       const struct sigport_watch *remove,
                                       int *empty) {
  const struct sp_watch_list *old = current_list();
  size_t n = old != NULL ? old->n : 0, i, k = 0;
  struct sp_watch_list *list;
  *empty = 0;
  if (add == NULL && n <= 1) {
    *empty = 1;
    return NULL;
  }
  list = sp__malloc(sizeof *list + (n + 1) * sizeof list->w[0]);
  if (list == NULL) return NULL;
  for (i = 0; i < n; i++)
    if (old->w[i] != remove) list->w[k++] = old->w[i];
  if (add != NULL) list->w[k++] = add;
  list->n = k;
  return list;
}

/* Publishes a new list, waits until no trip can see the old one, and
   frees it. Under the lock. */
static void publish(struct sp_watch_list *list) {
  struct sp_watch_list *old =
      atomic_exchange_explicit(&sp__state.watches, list, SP_SEQ_CST);
  sp__state_wait_for_trips();
  free(old);
  free_forked_list();
}

static int member(const sigport_sigset_t *set, int s) {
  return (int)((set->bits[s / 64] >> (s % 64)) & 1);
}

/* A new doorbell, for a watch of its own: 0, or a failure with nothing
   left. */
static int bell_new(struct sp_bell **out, const char *fn) {
  struct sp_bell *b = sp__calloc(1, sizeof *b);
  int rc;
  if (b == NULL)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                       fn);
  rc = sp__backend_bell_open(&b->rd, &b->wr, fn);
  if (rc != 0) {
    free(b);
    return rc;
  }
  b->refs = 1;
  *out = b;
  return 0;
}

/* A watch lets go of its doorbell: the last one closes it. Under the lock
   (or before the doorbell is shared). */
static void bell_put(struct sp_bell *b) {
  if (--b->refs != 0) return;
  if (b->rd != SIGPORT_NO_SOCKET) sp__backend_bell_close(b->rd, b->wr);
  free(b);
}

/* Drains a doorbell that no watch holds armed any more. A watch armed
   since may have had its ring drained here: then the doorbell rings again,
   held armed meanwhile, so that no take can bring the count to 0 and
   drain before that ring is written; if a take brought it to 0 all the
   same, it is drained again. */
static void bell_settle(struct sp_bell *b) {
  for (;;) {
    (void)atomic_exchange_explicit(&b->rung, 0, SP_SEQ_CST);
    sp__backend_bell_drain(b->rd);
    if (atomic_load_explicit(&b->armed, SP_SEQ_CST) == 0) return;
    (void)atomic_fetch_add_explicit(&b->armed, 1, SP_SEQ_CST);
    sp__bell_ring(b);
    if (atomic_fetch_sub_explicit(&b->armed, 1, SP_SEQ_CST) != 1) return;
  }
}

/* Disarms a watch, first thing in a take: 1 if it was armed. The take
   that leaves its doorbell with nothing armed drains it. */
static int disarm(struct sigport_watch *w) {
  if (!atomic_exchange_explicit(&w->armed, 0, SP_SEQ_CST)) return 0;
  if (atomic_fetch_sub_explicit(&w->bell->armed, 1, SP_SEQ_CST) == 1)
    bell_settle(w->bell);
  return 1;
}

/* A take of a watch that was not armed found nothing: the doorbell is
   drained if it may be readable with nothing armed (a trip that counted a
   delivery this watch took before the trip armed it rang after). */
static void heal(struct sp_bell *b) {
  if (atomic_load_explicit(&b->rung, SP_SEQ_CST) &&
      atomic_load_explicit(&b->armed, SP_SEQ_CST) == 0)
    bell_settle(b);
}

static void free_watch(struct sigport_watch *w) {
  free(w->ring);
  free(w);
}

/* Gives up the signals of a watch that leaves the list. Under the lock. */
static void release_all(const struct sigport_watch *w) {
  int s;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!sp__watch_has(w, s)) continue;
    sp__state.sig[s].watchers--;
    sp__release(s);
  }
}

/* Puts a new watch in the list and takes its signals: 0, or a failure
   with everything as it was (the watch is the caller's to free). Under
   the lock. */
static int attach(struct sigport_watch *w, const char *fn) {
  struct sp_watch_list *list, *old = current_list();
  int rc = 0, s, empty;
  list = copy_list(w, NULL, &empty);
  if (list == NULL)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                       fn);
  /* The watch is in the list before its trips are installed, so that it
     counts the first delivery a new trip takes. */
  atomic_store_explicit(&sp__state.watches, list, SP_SEQ_CST);
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!sp__watch_has(w, s)) continue;
    sp__state.sig[s].watchers++;
    rc = sp__hold(s);
    if (rc != 0) break;
  }
  if (rc != 0) {
    /* Back to what was there: the signals taken so far are given up, and
       the old list comes back. */
    int t;
    for (t = 1; t <= s; t++) {
      if (!sp__watch_has(w, t)) continue;
      sp__state.sig[t].watchers--;
      sp__release(t);
    }
    atomic_store_explicit(&sp__state.watches, old, SP_SEQ_CST);
    sp__state_wait_for_trips();
    free(list);
    return rc;
  }
  w->attached = 1;
  sp__state_wait_for_trips();
  free(old);
  return 0;
}

/* sigport_watch_open() and sigport_watch_open_shared(): share is the
   watch whose doorbell the new one shares, or NULL for one of its own. */
static int open_watch(const sigport_sigset_t *set, unsigned flags,
                      sigport_watch_t *share, int shared,
                      sigport_watch_t **out, const char *fn) {
  struct sigport_watch *w;
  int rc, s, any = 0;
  if (flags & ~(unsigned)SP_WATCH_FLAGS)
    return sp__fail(SIGPORT_EVALUE, "%s: unknown flags 0x%x", fn,
                    flags & ~(unsigned)SP_WATCH_FLAGS);
  rc = sp__check_ptr(out, fn, "w");
  if (rc == 0) rc = sp__check_ptr(set, fn, "set");
  if (rc == 0 && shared) rc = sp__check_ptr(share, fn, "share");
  if (rc == 0) rc = sp__check_set_members(set, fn);
  if (rc != 0) return rc;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!member(set, s)) continue;
    any = 1;
    rc = sp__backend_check_settable(s, fn);
    if (rc != 0) return rc;
  }
  if (!any) return sp__fail(SIGPORT_EVALUE, "%s: empty signal set", fn);
  if (!sp__initialised())
    return sp__fail(SIGPORT_EVALUE,
                    "%s: sigport is not initialised: call sigport_init() first",
                    fn);

  w = sp__calloc(1, sizeof *w);
  if (w == NULL)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                       fn);
  w->flags = flags;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (member(set, s)) w->bits[SP_WORD_OF(s)] |= SP_BIT_OF(s);
  if (flags & SIGPORT_WATCH_QUEUE) {
    unsigned i;
    w->ring = sp__malloc(SP_WATCH_RING * sizeof w->ring[0]);
    if (w->ring == NULL) {
      free_watch(w);
      return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(),
                         "%s: out of memory", fn);
    }
    for (i = 0; i < SP_WATCH_RING; i++)
      atomic_init(&w->ring[i].seq, i);
  }
  if (share == NULL) {
    rc = bell_new(&w->bell, fn);
    if (rc != 0) {
      free_watch(w);
      return rc;
    }
  }
  sp__backend_lock();
  if (share != NULL) {
    w->bell = share->bell;
    w->bell->refs++;
  }
  rc = attach(w, fn);
  if (rc != 0) bell_put(w->bell);
  sp__backend_unlock();
  if (rc != 0) {
    free_watch(w);
    return rc;
  }
  *out = w;
  return 0;
}

int sigport_watch_open(const sigport_sigset_t *set, unsigned flags,
                       sigport_watch_t **out) {
  return open_watch(set, flags, NULL, 0, out, "sigport_watch_open");
}

int sigport_watch_open_shared(const sigport_sigset_t *set, unsigned flags,
                              sigport_watch_t *share, sigport_watch_t **out) {
  return open_watch(set, flags, share, 1, out, "sigport_watch_open_shared");
}

sigport_socket_t sigport_watch_fd(const sigport_watch_t *w) {
  return w != NULL ? w->bell->rd : SIGPORT_NO_SOCKET;
}

/* Takes the oldest delivery of a queue-mode ring: its signal, or 0 when
   the ring is empty (or its oldest cell is still being filled). */
static int pop(struct sigport_watch *w, sigport_siginfo_t *info) {
  struct sp_cell *cell = &w->ring[w->head & (SP_WATCH_RING - 1u)];
  unsigned seq = atomic_load_explicit(&cell->seq, SP_ACQUIRE);
  int signo;
  if (seq != w->head + 1u) return 0;
  signo = cell->signo;
  sp__info_fill(info, signo, &cell->rec, 1);
  /* The cell is the producers' again, for the position a ring later. */
  atomic_store_explicit(&cell->seq, w->head + SP_WATCH_RING, SP_RELEASE);
  w->head++;
  return signo;
}

/* The lowest signal of the watch's set from `from` up with an untaken
   count, or 0. Walks the set's words, so a watch of one signal looks at
   one counter, not at every signal number. */
static int next_counted(const struct sigport_watch *w, int from) {
  unsigned i;
  for (i = SP_WORD_OF(from); i < SP_NWORDS; i++) {
    unsigned long word = w->bits[i];
    if (i == SP_WORD_OF(from)) word &= ~(SP_BIT_OF(from) - 1ul);
    while (word != 0) {
      int bit = sp_lowest_bit(word);
      int s = (int)i * SP_WORD_BITS + bit + 1;
      if (atomic_load_explicit(&w->count[s], SP_RELAXED) != 0) return s;
      word &= word - 1ul;
    }
  }
  return 0;
}

/* Whether a queue-mode watch has something left to take. */
static int untaken_queued(const struct sigport_watch *w) {
  const struct sp_cell *cell = &w->ring[w->head & (SP_WATCH_RING - 1u)];
  if (atomic_load_explicit(&cell->seq, SP_ACQUIRE) == w->head + 1u) return 1;
  return next_counted(w, 1) != 0;
}

/* Takes the count of signal s (found untaken by the taker, the only
   thread that lowers it) into info. */
static SP_INLINE void take_count(struct sigport_watch *w, int s,
                                  sigport_siginfo_t *info) {
  unsigned long n = atomic_exchange_explicit(&w->count[s], 0, SP_ACQ_REL);
  /* The last recorded siginfo of the signal. */
  sp__slot_info(&sp__state.sig[s].slot, s, n, info);
}

/* The surplus of signal s, found after the ring was found empty. The ring
   is looked at once more first: deliveries that came between the two
   looks (a burst, while the taker was preempted or stopped there) may
   have filled it and overflowed into s's surplus, and all of them are
   older than that surplus. So is a cell that a trip on another thread
   has claimed and is still filling: then nothing is taken, and that trip
   rings the doorbell when it is done. (A signal with surplus puts nothing
   in the ring until its surplus is taken, so once the ring is empty here
   with no cell claimed, every entry that comes later is newer.) */
static int take_surplus(struct sigport_watch *w, int s,
                        sigport_siginfo_t *info) {
  int got = pop(w, info);
  if (got != 0) return got;
  if (atomic_load_explicit(&w->tail, SP_ACQUIRE) != w->head) {
    memset(info, 0, sizeof *info);
    return 0;
  }
  take_count(w, s, info);
  return s;
}

/* A take of a queue-mode watch, once disarmed: the oldest delivery of the
   ring, else the lowest signal's surplus. */
static int take_queued(struct sigport_watch *w, sigport_siginfo_t *info) {
  int got = pop(w, info);
  if (got == 0) {
    SP_POINT(SP_POINT_TAKE_RING_EMPTY);
    got = next_counted(w, 1);
    if (got != 0)
      got = take_surplus(w, got, info);
    else
      memset(info, 0, sizeof *info);
  }
  if (untaken_queued(w)) sp__watch_arm(w);
  return got;
}

int sigport_watch_take(sigport_watch_t *w, sigport_siginfo_t *info) {
  static const char fn[] = "sigport_watch_take";
  int s, was_armed;
  if (SP_UNLIKELY(w == NULL || info == NULL)) {
    int rc = sp__check_ptr(w, fn, "w");
    if (rc != 0) return rc;
    return sp__fail(SIGPORT_EVALUE,
                    "%s: info must not be NULL (it carries the count)", fn);
  }
  /* Disarmed first: a trip that counts from then on finds the watch
     disarmed and arms it again (the doorbell rings, or another watch of
     the group keeps it readable), and one that armed it before has its
     count seen below. */
  was_armed = disarm(w);
  if (w->ring != NULL) {
    s = take_queued(w, info);
  } else {
    s = next_counted(w, 1);
    if (s != 0) {
      take_count(w, s, info);
      /* Something left: the fd stays readable, so that a poll loop never
         sleeps on untaken counts. Only the signals above s need a look:
         the ones below had nothing when looked at after the disarming
         above, and a trip that counts one of them from then on arms the
         watch. */
      if (s + 1 < SIGPORT_NSIG && next_counted(w, s + 1) != 0)
        sp__watch_arm(w);
    } else {
      memset(info, 0, sizeof *info);
    }
  }
  if (s == 0 && !was_armed) heal(w->bell);
  return s;
}

/* Takes a watch out of the list and gives up its signals: 0, or
   SIGPORT_EOS when memory ran out (then it stays). Under the lock. */
static int detach(struct sigport_watch *w, const char *fn) {
  int empty;
  struct sp_watch_list *list;
  if (!w->attached) return 0;
  list = copy_list(NULL, w, &empty);
  if (list == NULL && !empty)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                       fn);
  /* Given up before the watch leaves the list: a delivery between the two
     is still counted by it, and the trip is gone or stays for someone
     else. */
  release_all(w);
  publish(list);
  w->attached = 0;
  return 0;
}

/* A watch that no trip sees any more lets go of its doorbell: disarmed
   first, so that the group's fd is not left readable for it. Under the
   lock. */
static void leave_bell(struct sigport_watch *w) {
  if (w->bell->rd != SIGPORT_NO_SOCKET) (void)disarm(w);
  bell_put(w->bell);
}

int sigport_watch_close(sigport_watch_t *w) {
  static const char fn[] = "sigport_watch_close";
  int rc = sp__check_ptr(w, fn, "w");
  if (rc != 0) return rc;
  sp__backend_lock();
  rc = detach(w, fn);
  if (rc == 0) leave_bell(w);
  sp__backend_unlock();
  if (rc != 0) return rc;
  free_watch(w);
  return 0;
}

int sp__watch_open_locked(int signum, sigport_watch_t **out, const char *fn) {
  struct sigport_watch *w = sp__calloc(1, sizeof *w);
  int rc;
  if (w == NULL)
    return sp__fail_os(SIGPORT_EOS, sp__backend_enomem(), "%s: out of memory",
                       fn);
  w->bits[SP_WORD_OF(signum)] |= SP_BIT_OF(signum);
  rc = bell_new(&w->bell, fn);
  if (rc != 0) {
    free_watch(w);
    return rc;
  }
  rc = attach(w, fn);
  if (rc != 0) {
    bell_put(w->bell);
    free_watch(w);
    return rc;
  }
  *out = w;
  return 0;
}

int sp__watch_close_locked(sigport_watch_t *w, const char *fn) {
  int rc = detach(w, fn);
  if (rc == 0) {
    leave_bell(w);
    free_watch(w);
  }
  return rc;
}

void sp__watch_detach_all(void) {
  struct sp_watch_list *list = current_list();
  size_t i;
  int s;
  free_forked_list();
  if (list == NULL) return;
  for (i = 0; i < list->n; i++) list->w[i]->attached = 0;
  publish(NULL);
  for (s = 1; s < SIGPORT_NSIG; s++) sp__state.sig[s].watchers = 0;
}

void sp__watch_after_fork(void) {
  struct sp_watch_list *list = current_list();
  size_t i;
  int s;
  if (list == NULL) return;
  atomic_store_explicit(&sp__state.watches, NULL, SP_RELAXED);
  /* No trip walks it in the child: kept, to be freed there later. (An
     older one was freed when this list was published.) */
  forked_list = list;
  for (i = 0; i < list->n; i++) {
    struct sigport_watch *w = list->w[i];
    w->attached = 0;
    /* Once for a group's doorbell. */
    if (w->bell->rd != SIGPORT_NO_SOCKET)
      sp__backend_bell_close(w->bell->rd, w->bell->wr);
    w->bell->rd = w->bell->wr = SIGPORT_NO_SOCKET;
  }
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (sp__state.sig[s].watchers == 0) continue;
    sp__state.sig[s].watchers = 0;
    sp__release(s);
  }
}
