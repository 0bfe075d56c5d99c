/*
 * trip.c: the trip, the only sigport code that runs in signal context. It
 * records a delivery, counts it, flags it and wakes whoever waits, in that
 * order, and nothing else: no locks, no allocation, no stdio, no
 * thread-local storage, only lock-free atomics and async-signal-safe
 * calls. The backend's raw handler saved errno before calling it and
 * restores it after.
 *
 * Record first and wake last: a loop woken by the byte must find the
 * delivery counted, and a dispatch that takes a count must find its siginfo
 * already there.
 */
#include "backend.h"
#include "state.h"
#include "watch.h"

/* Writes the record into the signal's seqlock slot, unless another
   thread's trip holds it (then the count still goes up below). */
static void record(struct sp_slot *slot, const struct sp_record *rec) {
  unsigned seq;
  if (atomic_flag_test_and_set_explicit(&slot->busy, SP_ACQUIRE)) return;
  seq = atomic_load_explicit(&slot->seq, SP_RELAXED);
  atomic_store_explicit(&slot->seq, seq + 1, SP_RELAXED);
  atomic_thread_fence(SP_RELEASE);
  atomic_store_explicit(&slot->code, rec->code, SP_RELAXED);
  atomic_store_explicit(&slot->errnum, rec->errnum, SP_RELAXED);
  atomic_store_explicit(&slot->status, rec->status, SP_RELAXED);
  atomic_store_explicit(&slot->pid, rec->pid, SP_RELAXED);
  atomic_store_explicit(&slot->uid, rec->uid, SP_RELAXED);
  atomic_store_explicit(&slot->band, rec->band, SP_RELAXED);
  atomic_store_explicit(&slot->value, rec->value, SP_RELAXED);
  atomic_store_explicit(&slot->value_int, rec->value_int, SP_RELAXED);
  atomic_store_explicit(&slot->addr, rec->addr, SP_RELAXED);
  atomic_store_explicit(&slot->seq, seq + 2, SP_RELEASE);
  atomic_flag_clear_explicit(&slot->busy, SP_RELEASE);
}

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

/* Counts the delivery in every watch whose set holds signum, and rings the
   doorbell of each that was not armed. */
static void feed(const struct sp_watch_list *list, int signum,
                 const struct sp_record *rec) {
  size_t i;
  for (i = 0; i < list->n; i++) {
    struct sigport_watch *w = list->w[i];
    if (!sp__watch_has(w, signum)) continue;
    /* A signal with surplus keeps its order: its deliveries join the
       surplus until the taker has taken it. */
    if (w->ring == NULL ||
        atomic_load_explicit(&w->count[signum], SP_RELAXED) != 0 ||
        !push(w, signum, rec))
      atomic_fetch_add_explicit(&w->count[signum], 1, SP_RELEASE);
    /* The taker exchanges `armed` back to 0 before it looks at the
       counts: either it sees this count, or this exchange sees its 0 and
       rings. */
    if (!atomic_exchange_explicit(&w->armed, 1, SP_ACQ_REL))
      sp__backend_bell_ring(w->wr);
  }
}

int sp__trip(int signum, const struct sp_record *rec) {
  struct sp_sig *sig = &sp__state.sig[signum];
  intptr_t fd;

  /* Counted as running, so that shutdown and set_wakeup_fd can wait for
     it. seq_cst pairs with their store-then-check: either shutdown waits
     for this trip, or this trip sees `live` cleared and records nothing. */
  atomic_fetch_add_explicit(&sp__state.trips_active, 1, SP_SEQ_CST);
  if (!atomic_load_explicit(&sp__state.live, SP_SEQ_CST)) {
    int again = atomic_load_explicit(&sig->raise_late, SP_RELAXED);
    atomic_fetch_sub_explicit(&sp__state.trips_active, 1, SP_SEQ_CST);
    return again ? 1 : -1;
  }

  record(&sig->slot, rec);

  /* Without a watch this one load is all the watches cost: acquire, which
     is a plain load on x86 (and no fence, which ThreadSanitizer would not
     see), so that the list's contents come with it. The list and the
     watches it names stay until this trip has ended: close swaps the
     pointer and then waits for the running trips, with a
     read-modify-write of trips_active that the increment above
     synchronises with, so a trip that started after that wait reads the
     new pointer. */
  {
    const struct sp_watch_list *list =
        atomic_load_explicit(&sp__state.watches, SP_ACQUIRE);
    if (SP_UNLIKELY(list != NULL)) {
      feed(list, signum, rec);
      /* Held by watches alone: nothing for dispatch, no wakeup fd, no
         pause. */
      if (!atomic_load_explicit(&sig->dispatched, SP_RELAXED)) goto done;
    }
  }

  atomic_fetch_add_explicit(&sig->count, 1, SP_RELEASE);
  /* seq_cst, as the flag: dispatch clears the flag and then looks at the
     bits, and must see the bit of every trip whose flag it cleared. */
  atomic_fetch_or_explicit(&sp__state.bits[SP_WORD_OF(signum)],
                           SP_BIT_OF(signum), SP_SEQ_CST);
  /* An exchange, not a store: with the load of `sleeping` below it is one
     side of a Dekker pair with sigport_pause(), and a read-modify-write
     orders the later load on every machine and emulator. A seq_cst store
     does too in C11, but qemu-user's aarch64 on x86 emulates it as a
     plain store followed by a plain load, which the host may reorder, and
     a pause then slept through a delivery now and then (2 of 36 stress
     runs under load). On x86 the compiler makes the same xchg for both. */
  (void)atomic_exchange_explicit(&sigport__pending_flag, 1, SP_SEQ_CST);

  fd = atomic_load_explicit(&sp__state.wakeup_fd, SP_SEQ_CST);
  if (fd != (intptr_t)SIGPORT_NO_SOCKET) {
    int full = 0;
    int err = sp__backend_wakeup_write((sigport_socket_t)fd, signum, &full);
    if (err != 0 &&
        !(full && (atomic_load_explicit(&sp__state.wakeup_flags, SP_RELAXED) &
                   SIGPORT_WAKEUP_NO_WARN))) {
      atomic_store_explicit(&sp__state.wakeup_error, err, SP_RELAXED);
      atomic_fetch_add_explicit(&sp__state.wakeup_failures, 1, SP_RELEASE);
    }
  }

  /* pause() sets `sleeping` before its last look at `pending`; this load
     comes after the store above, so one of the two sees the other. */
  if (atomic_load_explicit(&sp__state.sleeping, SP_SEQ_CST))
    sp__backend_pause_wake();

done:
  atomic_fetch_sub_explicit(&sp__state.trips_active, 1, SP_SEQ_CST);
  return 0;
}
