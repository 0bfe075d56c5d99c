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
  /* A read-modify-write, not a load: see state.h. */
  while (atomic_fetch_add_explicit(&sp__state.trips_active, 0, SP_SEQ_CST) !=
         0) {
    if (++spins % 64 == 0) sp__backend_yield();
  }
}

/* How many times sp__slot_read() looks at a slot that a trip is writing
   before it gives up on it. A record takes a trip a few dozen
   instructions; a reader that runs at a higher priority than a preempted
   writer on the same processor would wait for ever. */
#define SP_SLOT_TRIES 4096

static void take_fields(const struct sp_slot *slot, struct sp_record *rec) {
  rec->code = atomic_load_explicit(&slot->code, SP_RELAXED);
  rec->errnum = atomic_load_explicit(&slot->errnum, SP_RELAXED);
  rec->status = atomic_load_explicit(&slot->status, SP_RELAXED);
  rec->pid = atomic_load_explicit(&slot->pid, SP_RELAXED);
  rec->uid = atomic_load_explicit(&slot->uid, SP_RELAXED);
  rec->band = atomic_load_explicit(&slot->band, SP_RELAXED);
  rec->value = atomic_load_explicit(&slot->value, SP_RELAXED);
  rec->value_int = atomic_load_explicit(&slot->value_int, SP_RELAXED);
  rec->addr = atomic_load_explicit(&slot->addr, SP_RELAXED);
}

int sp__slot_read(const struct sp_slot *slot, struct sp_record *rec) {
  struct sp_record got;
  unsigned tries;
  for (tries = 0; tries < SP_SLOT_TRIES; tries++) {
    unsigned before = atomic_load_explicit(&slot->seq, SP_ACQUIRE);
    /* Never recorded: every trip found the slot busy. */
    if (before == 0) return 0;
    if ((before & 1u) == 0) {
      take_fields(slot, &got);
      atomic_thread_fence(SP_ACQUIRE);
      if (atomic_load_explicit(&slot->seq, SP_RELAXED) == before) {
        *rec = got;
        return 1;
      }
    }
    /* A trip on another thread is writing; it does not block. */
    if (tries % 64 == 63) sp__backend_yield();
  }
  return -1;
}

void sp__info_fill(sigport_siginfo_t *info, int signum,
                   const struct sp_record *rec, unsigned long count) {
  info->signo = signum;
  info->code = rec->code;
  info->errnum = rec->errnum;
  info->status = rec->status;
  info->pid = rec->pid;
  info->uid = rec->uid;
  info->band = rec->band;
  info->value = rec->value;
  info->value_int = rec->value_int;
  info->addr = rec->addr;
  info->count = count;
  info->reserved32 = 0;
  info->reserved[0] = info->reserved[1] = info->reserved[2] = 0;
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
