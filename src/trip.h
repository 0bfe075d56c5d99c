/*
 * trip.h: the trip, the only sigport code that runs in signal context. It
 * records a delivery, counts it, flags it and wakes whoever waits, in that
 * order, and nothing else: no locks, no allocation, no stdio, no
 * thread-local storage, only lock-free atomics and async-signal-safe
 * calls. errno is saved and restored around each call that may change it
 * (the writes to the wakeup fd, the doorbells and the pause pipe), where
 * it is made: the path that makes no call does not touch it.
 *
 * It is inline, in each backend's raw handler: the handler's record of
 * the siginfo then goes straight into the slot, without a copy and a call.
 * What it does only while a watch is open is out of line, in trip.c.
 *
 * Record first and wake last: a loop woken by the byte must find the
 * delivery counted, and a dispatch that takes a count must find its siginfo
 * already there.
 */
#ifndef SIGPORT_TRIP_H
#define SIGPORT_TRIP_H

#include <errno.h>

#include "backend.h"
#include "state.h"

struct sp_watch_list;

/* Counts the delivery in every watch of `list` whose set holds signum,
   and rings the doorbell of each that was not armed (trip.c). */
void sp__trip_feed(const struct sp_watch_list *list, int signum,
                   const struct sp_record *rec);

/* Writes the record into the signal's slot, into the copy that readers
   are not reading (struct sp_slot), unless another thread's trip holds it
   (then the count still goes up below). */
static inline void sp__trip_record(struct sp_slot *slot,
                                   const struct sp_record *rec) {
  unsigned seq, end;
  struct sp_slot_rec *to;
  if (atomic_flag_test_and_set_explicit(&slot->busy, SP_ACQUIRE)) return;
  /* Even: only the holder of `busy` changes it. */
  seq = atomic_load_explicit(&slot->seq, SP_RELAXED);
  to = &slot->rec[((seq >> 1) + 1u) & 1u];
  atomic_store_explicit(&slot->seq, seq + 1, SP_RELAXED);
  atomic_thread_fence(SP_RELEASE);
  atomic_store_explicit(&to->code, rec->code, SP_RELAXED);
  atomic_store_explicit(&to->errnum, rec->errnum, SP_RELAXED);
  atomic_store_explicit(&to->pid, rec->pid, SP_RELAXED);
  atomic_store_explicit(&to->uid, rec->uid, SP_RELAXED);
  atomic_store_explicit(&to->value, rec->value, SP_RELAXED);
  atomic_store_explicit(&to->extra, rec->extra, SP_RELAXED);
  /* 0 means never recorded: after 2^31 records, `seq` goes on at 4, whose
     copy is the one just written. */
  end = seq + 2;
  if (end == 0) end = 4;
  atomic_store_explicit(&slot->seq, end, SP_RELEASE);
  atomic_flag_clear_explicit(&slot->busy, SP_RELEASE);
}

/* The trip: records one delivery of signum. Called by a backend's raw
   handler after it saved errno; async-signal-safe. Returns 0 when it
   recorded the delivery. After sigport_shutdown() it records nothing and
   returns 1 when shutdown gave the disposition back after the system
   chose the trip for this delivery (the backend raises the signal again,
   for the restored disposition), or -1 when shutdown did not give it back
   (a handler installed over the trip that chains to it: raising again
   would loop). */
/* Counts the trip as running, in the counter of the current phase, and
   returns that counter's index. A wait (sp__state_wait_for_trips) flips
   the phase and then waits for the old counter. All seq_cst: either this
   trip's look at the phase after its increment comes before the flip, so
   the wait sees the increment and waits for it, or it reads the flip (or a
   later one), which makes the waiter's earlier stores visible here. A
   trip that finds the phase changed under it counts itself again. */
static inline unsigned sp__trip_enter(void) {
  for (;;) {
    unsigned ph =
        atomic_load_explicit(&sp__state.trip_phase, SP_SEQ_CST) & 1u;
    atomic_fetch_add_explicit(&sp__state.trips_active[ph], 1, SP_SEQ_CST);
    if (SP_LIKELY((atomic_load_explicit(&sp__state.trip_phase, SP_SEQ_CST) &
                   1u) == ph))
      return ph;
    atomic_fetch_sub_explicit(&sp__state.trips_active[ph], 1, SP_SEQ_CST);
  }
}

static inline void sp__trip_leave(unsigned ph) {
  atomic_fetch_sub_explicit(&sp__state.trips_active[ph], 1, SP_SEQ_CST);
}

/* The end of a trip that counted a delivery for dispatch: raises the
   pending flag and wakes whoever waits, the wakeup fd (with signum's
   byte) and sigport_pause(). Async-signal-safe. Also called for a child's
   end that no SIGCHLD told of (child.c), with SIGCHLD's number. */
static inline void sp__trip_wake(int signum) {
  intptr_t fd;
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
    int full = 0, saved_errno = errno;
    int err = sp__backend_wakeup_write((sigport_socket_t)fd, signum, &full);
    errno = saved_errno;
    if (err != 0 &&
        !(full && (atomic_load_explicit(&sp__state.wakeup_flags, SP_RELAXED) &
                   SIGPORT_WAKEUP_NO_WARN))) {
      atomic_store_explicit(&sp__state.wakeup_error, err, SP_RELAXED);
      atomic_fetch_add_explicit(&sp__state.wakeup_failures, 1, SP_RELEASE);
    }
  }

  /* pause() sets `sleeping` before its last look at `pending`; this load
     comes after the store above, so one of the two sees the other. */
  if (atomic_load_explicit(&sp__state.sleeping, SP_SEQ_CST)) {
    int saved_errno = errno;
    sp__backend_pause_wake();
    errno = saved_errno;
  }
}

static inline int sp__trip(int signum, const struct sp_record *rec) {
  struct sp_sig *sig = &sp__state.sig[signum];
  /* Counted as running, so that shutdown, set_wakeup_fd and watch close
     can wait for it; either they wait for this trip, or it sees what they
     stored before waiting (`live` cleared: it records nothing). */
  unsigned ph = sp__trip_enter();
  if (!atomic_load_explicit(&sp__state.live, SP_SEQ_CST)) {
    int again = atomic_load_explicit(&sig->raise_late, SP_RELAXED);
    sp__trip_leave(ph);
    return again ? 1 : -1;
  }

  sp__trip_record(&sig->slot, rec);

  /* Without a watch this one load is all the watches cost: acquire, which
     is a plain load on x86 (and no fence, which ThreadSanitizer would not
     see), so that the list's contents come with it. The list and the
     watches it names stay until this trip has ended: close swaps the
     pointer and then waits for the trips that may have read it (see
     sp__trip_enter), so a trip it does not wait for reads the new one. */
  {
    const void *list = atomic_load_explicit(&sp__state.watches, SP_ACQUIRE);
    if (SP_UNLIKELY(list != NULL)) {
      /* A copy for the call out of line: `rec` itself never has its
         address taken, so the compiler is free to keep its fields in
         registers on the path without a watch. */
      struct sp_record copy = *rec;
      sp__trip_feed((const struct sp_watch_list *)list, signum, &copy);
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
  sp__trip_wake(signum);

done:
  sp__trip_leave(ph);
  return 0;
}

#endif /* SIGPORT_TRIP_H */
