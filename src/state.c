/*
 * state.c: the process-wide state, and the resets it needs.
 */
#include <string.h>

#include "backend.h"
#include "state.h"

/* Zero-initialised: nothing pending, no handler; wakeup_fd is set to
   SIGPORT_NO_SOCKET by sigport_init() and read only after it. */
struct sp_state sp__state;
sp_atomic_int sigport__pending_flag;

void sp__state_reset_deliveries(void) {
  int s;
  for (s = 0; s < SIGPORT_NSIG; s++) {
    struct sp_sig *sig = &sp__state.sig[s];
    atomic_store_explicit(&sig->count, 0, SP_RELAXED);
    atomic_flag_clear_explicit(&sig->slot.busy, SP_RELAXED);
    atomic_store_explicit(&sig->slot.seq, 0, SP_RELAXED);
  }
  for (s = 0; s < SP_NWORDS; s++)
    atomic_store_explicit(&sp__state.bits[s], 0, SP_RELAXED);
  atomic_store_explicit(&sp__state.sleeping, 0, SP_RELAXED);
  atomic_store_explicit(&sp__state.wakeup_failures, 0, SP_RELAXED);
  atomic_store_explicit(&sp__state.wakeup_fd, (intptr_t)SIGPORT_NO_SOCKET,
                        SP_RELAXED);
  atomic_store_explicit(&sp__state.wakeup_flags, 0, SP_RELAXED);
  atomic_store_explicit(&sp__state.child_due, 0, SP_RELAXED);
  atomic_store_explicit(&sigport__pending_flag, 0, SP_SEQ_CST);
}

void sp__state_wait_for_trips(void) {
  unsigned spins = 0;
  unsigned old =
      atomic_fetch_add_explicit(&sp__state.trip_phase, 1, SP_SEQ_CST) & 1u;
  /* A read-modify-write, not a load: a trip that counts itself after it
     reads the count's last value synchronises with it (see trip.h). */
  while (atomic_fetch_add_explicit(&sp__state.trips_active[old], 0,
                                   SP_SEQ_CST) != 0) {
    if (++spins % 64 == 0) sp__backend_yield();
  }
}

void sp__state_wait_for_trips_unlocked(void) {
  sp__backend_lock();
  sp__state_wait_for_trips();
  sp__backend_unlock();
}

/* How many times sp__slot_read_again() looks at a slot before it gives
   up. Each failed look means that two whole records were written while it
   read six words. */
#define SP_SLOT_TRIES 4096

int sp__slot_read_again(const struct sp_slot *slot, struct sp_record *rec) {
  unsigned tries;
  for (tries = 0; tries < SP_SLOT_TRIES; tries++) {
    int r = sp__slot_try(slot, rec);
    if (r >= 0) return r;
    if (tries % 64 == 63) sp__backend_yield();
  }
  return -1;
}

void sp__slot_info_again(const struct sp_slot *slot, int signum,
                         unsigned long count, sigport_siginfo_t *info) {
  struct sp_record got;
  if (sp__slot_read(slot, &got) <= 0) memset(&got, 0, sizeof got);
  sp__info_fill(info, signum, &got, count);
}

/* A thread's system identity (pthread_t, a Windows thread id) is given to
   a new thread once the old one has exited, so the main thread is marked
   in its own storage instead: it is the main thread while its token is the
   current generation. A new thread starts with no token, whatever
   identity it reuses, so after the main thread exits no thread is the
   main thread. A fork() child's only thread keeps its storage and is given
   a new generation. The generation is never 0, a thread's token before
   anything marks it, so that one comparison tells. */
sp_atomic_uint sp__main_generation = 1;
SP_THREAD_LOCAL unsigned sp__main_token;

void sp__set_main_thread(void) {
  unsigned g = atomic_fetch_add_explicit(&sp__main_generation, 1, SP_RELAXED) + 1;
  if (g == 0)
    g = atomic_fetch_add_explicit(&sp__main_generation, 1, SP_RELAXED) + 1;
  sp__main_token = g;
}
