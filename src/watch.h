/*
 * watch.h: a watch, as the trip and watch.c see it (SPEC 6.1). The trip
 * walks the published list of watches and, for each watch whose set holds
 * the signal, bumps the watch's counter for it (or, in queue mode, puts
 * the delivery in the watch's ring), then arms the watch: when its
 * `armed` flag goes from 0 to 1, the watch is counted in its doorbell's,
 * and the doorbell rings when that count goes from 0 to 1. A doorbell
 * belongs to one watch, or to a group of them
 * (sigport_watch_open_shared()).
 */
#ifndef SIGPORT_WATCH_H
#define SIGPORT_WATCH_H

#include "backend.h"
#include "state.h"

/* The entries of a queue-mode watch's ring: a power of two. */
#define SP_WATCH_RING 1024u

/* One entry of the ring, a cell of a bounded multi-producer queue: the
   trips of several threads put deliveries in, the taking thread takes
   them out. `seq` says whose turn the cell is: the producer of position p
   may fill it when seq == p, the consumer may take it when seq == p + 1. */
struct sp_cell {
  sp_atomic_uint seq;
  int signo;
  struct sp_record rec;
};

/* A doorbell: the fd that a watch, or a group of watches, is polled on. */
struct sp_bell {
  sigport_socket_t rd, wr;
  /* How many of its watches are armed: it rang when this went from 0 to 1,
     and the take that brings it back to 0 drains it. */
  sp_atomic_int armed;
  /* Set after each write, cleared before each drain: the fd may be
     readable. A take that finds nothing, with nothing armed, drains a
     doorbell that a trip rang after its watch was taken (a poll loop must
     not spin on it). */
  sp_atomic_int rung;
  int refs; /* the watches that share it (under the lock) */
};

struct sigport_watch {
  unsigned flags;
  /* The signals, fixed at open: signal n is bit SP_BIT_OF(n) of word
     SP_WORD_OF(n). Plain memory, written before the watch is published. */
  unsigned long bits[SP_NWORDS];
  struct sp_bell *bell; /* fixed at open */
  sp_atomic_int armed;  /* counted in bell->armed since the last take */
  /* The deliveries not yet taken, per signal. In queue mode, the surplus:
     the deliveries that found the ring full, or found surplus there. */
  sp_atomic_ulong count[SIGPORT_NSIG];
  /* Queue mode: the ring, its producers' next position, and the taker's
     next position. NULL without SIGPORT_WATCH_QUEUE. */
  struct sp_cell *ring;
  sp_atomic_uint tail;
  unsigned head;
  /* Whether the watch is in the published list (under the lock). */
  int attached;
};

/* What sp_state.watches points to. */
struct sp_watch_list {
  size_t n;
  struct sigport_watch *w[];
};

static inline int sp__watch_has(const struct sigport_watch *w, int signum) {
  return (w->bits[SP_WORD_OF(signum)] & SP_BIT_OF(signum)) != 0;
}

/* Arms a watch that has something untaken, from the trip or a take:
   rings its doorbell unless something armed it already. The taker
   disarms the watch before it looks at the counts: either it sees what
   the arming thread counted, or this exchange sees its 0. */
static inline void sp__bell_ring(struct sp_bell *b) {
  sp__backend_bell_ring(b->wr);
  atomic_store_explicit(&b->rung, 1, SP_SEQ_CST);
}
static inline void sp__watch_arm(struct sigport_watch *w) {
  if (!atomic_exchange_explicit(&w->armed, 1, SP_SEQ_CST) &&
      atomic_fetch_add_explicit(&w->bell->armed, 1, SP_SEQ_CST) == 0)
    sp__bell_ring(w->bell);
}

/* A watch of signum alone, for sigport's own use (the SIGCHLD doorbell of
   child.c), opened and closed with the lock held: what sigport_watch_open()
   and sigport_watch_close() do, with their failures. */
int sp__watch_open_locked(int signum, sigport_watch_t **out, const char *fn);
int sp__watch_close_locked(sigport_watch_t *w, const char *fn);

/* Drops every watch (the last sigport_shutdown(), under the lock): they
   stay valid for take and close, and get nothing more. */
void sp__watch_detach_all(void);

/* In a fork() child, with every signal blocked and the lock held: the
   child has no watches. Their doorbells are closed (their memory is the
   parent's, and is left alone), and a signal that only watches held is
   given back. The list itself is the child's to free: kept, and freed by
   the child's next open, close or last shutdown. Async-signal-safe. */
void sp__watch_after_fork(void);

#endif
