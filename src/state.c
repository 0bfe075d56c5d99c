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
    memset(&sig->last, 0, sizeof sig->last);
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

/* A thread's system identity (pthread_t, a Windows thread id) is given to
   a new thread once the old one has exited, so the main thread is marked
   in its own storage instead: it is the main thread while its token is the
   current generation. A new thread starts with no token, whatever
   identity it reuses, so after the main thread exits no thread is the
   main thread. A fork() child's only thread keeps its storage and is given
   a new generation. */
static sp_atomic_uint main_generation;
static SP_THREAD_LOCAL unsigned main_token;

void sp__set_main_thread(void) {
  unsigned g = atomic_fetch_add_explicit(&main_generation, 1, SP_RELAXED) + 1;
  if (g == 0)
    g = atomic_fetch_add_explicit(&main_generation, 1, SP_RELAXED) + 1;
  main_token = g;
}

int sp__is_main_thread(void) {
  return main_token != 0 &&
         main_token == atomic_load_explicit(&main_generation, SP_RELAXED);
}
