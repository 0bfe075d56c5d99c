/*
 * trip.c: the trip's cold part, what it does only while a watch is open:
 * counting each delivery in every watch that holds the signal, and the
 * queue-mode ring. The hot part is inline in trip.h. Signal context, with
 * trip.h's rules: lock-free atomics and async-signal-safe calls only.
 */
#include <errno.h>

#include "backend.h"
#include "trip.h"
#include "watch.h"

/* Puts a delivery in a queue-mode watch's ring: 1, or 0 when the ring is
   full. Lock-free: a trip claims a position with a compare-and-swap,
   fills its cell, then hands the cell to the taker. */
static int push(struct sigport_watch *w, int signum,
                const struct sp_record *rec) {
  unsigned pos = atomic_load_explicit(&w->tail, SP_RELAXED);
  struct sp_cell *cell;
  for (;;) {
    unsigned seq;
    int dif;
    cell = &w->ring[pos & (SP_WATCH_RING - 1u)];
    seq = atomic_load_explicit(&cell->seq, SP_ACQUIRE);
    dif = (int)(seq - pos);
    if (dif == 0) {
      if (atomic_compare_exchange_weak_explicit(&w->tail, &pos, pos + 1u,
                                                SP_RELAXED, SP_RELAXED))
        break;
    } else if (dif < 0) {
      return 0; /* the taker has not taken this cell yet: full */
    } else {
      pos = atomic_load_explicit(&w->tail, SP_RELAXED);
    }
  }
  cell->signo = signum;
  cell->rec = *rec;
  atomic_store_explicit(&cell->seq, pos + 1u, SP_RELEASE);
  return 1;
}

/* Counts the delivery in every watch whose set holds signum, and arms
   each (a doorbell rings once, however many of its watches count it). */
void sp__trip_feed(const struct sp_watch_list *list, int signum,
                   const struct sp_record *rec) {
  size_t i;
  int saved_errno = errno; /* the doorbells' writes */
  for (i = 0; i < list->n; i++) {
    struct sigport_watch *w = list->w[i];
    if (!sp__watch_has(w, signum)) continue;
    /* A signal with surplus keeps its order: its deliveries join the
       surplus until the taker has taken it. */
    if (w->ring == NULL ||
        atomic_load_explicit(&w->count[signum], SP_RELAXED) != 0 ||
        !push(w, signum, rec))
      atomic_fetch_add_explicit(&w->count[signum], 1, SP_RELEASE);
    sp__watch_arm(w);
  }
  errno = saved_errno;
}
