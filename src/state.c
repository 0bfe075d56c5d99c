/*
 * state.c: the process-wide state, and the resets it needs.
 */
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
  atomic_store_explicit(&sigport__pending_flag, 0, SP_SEQ_CST);
}

void sp__state_wait_for_trips(void) {
  unsigned spins = 0;
  while (atomic_load_explicit(&sp__state.trips_active, SP_SEQ_CST) != 0) {
    if (++spins % 64 == 0) sp__backend_yield();
  }
}
