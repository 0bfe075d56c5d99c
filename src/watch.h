/*
 * watch.h: a watch, as the trip and watch.c see it (SPEC 6.1). The trip
 * walks the published list of watches and, for each watch whose set holds
 * the signal, bumps the watch's counter for it (or, in queue mode, puts
 * the delivery in the watch's ring), then rings its doorbell when the
 * watch's `armed` flag goes from 0 to 1.
 */
#ifndef SIGPORT_WATCH_H
#define SIGPORT_WATCH_H

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

struct sigport_watch {
  unsigned flags;
  /* The signals, fixed at open: signal n is bit SP_BIT_OF(n) of word
     SP_WORD_OF(n). Plain memory, written before the watch is published. */
  unsigned long bits[SP_NWORDS];
  sigport_socket_t rd, wr; /* the doorbell */
  sp_atomic_int armed;     /* the doorbell rang and has not been drained */
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
