/*
 * state.h: the process-wide state that the trip, dispatch and the backends
 * share: one entry per signal with its delivery counter, its siginfo slot
 * and its handler, and the global pending flag and bitmap.
 */
#ifndef SIGPORT_STATE_H
#define SIGPORT_STATE_H

#include <limits.h>
#include <string.h>

#include "atomics.h"
#include "sigport.h"

/* The pending bitmap: signal n is bit (n - 1) % SP_WORD_BITS of word
   (n - 1) / SP_WORD_BITS. The words are unsigned long, lock-free by
   ATOMIC_LONG_LOCK_FREE, so that signals 1 to 64 fit one word where long
   has 64 bits, and dispatch looks at one word. */
#define SP_WORD_BITS ((int)(sizeof(unsigned long) * CHAR_BIT))
#define SP_NWORDS ((SIGPORT_NSIG - 1 + SP_WORD_BITS - 1) / SP_WORD_BITS)

/* The word and the bit of signum (1 <= signum < SIGPORT_NSIG). */
#define SP_WORD_OF(signum) ((unsigned)((signum) - 1) / (unsigned)SP_WORD_BITS)
#define SP_BIT_OF(signum)                                                   \
  (1ul << ((unsigned)((signum) - 1) % (unsigned)SP_WORD_BITS))

_Static_assert(SIGPORT_NSIG <= 128, "sigport_sigset_t holds 128 signals");

/* What sigport last set for a signal (sp_sig.ours). */
enum sp_disp {
  SP_DISP_NONE = -1, /* sigport has not set it (or gave it back) */
  SP_DISP_DFL = 0,
  SP_DISP_IGN = 1,
  SP_DISP_TRIP = 2,   /* sigport's raw handler */
  SP_DISP_FOREIGN = 3 /* something else's handler (reported, never set) */
};

/*
 * The siginfo of the last recorded delivery: a seqlock over two copies, so
 * that a writer stopped half way never holds a reader up. The writer is a
 * trip: it takes `busy` with a try-lock (a trip that finds it taken skips
 * the record), so writers take turns. Record k (1, 2, ...) goes into
 * rec[k % 2]: its writer makes `seq` 2k - 1, stores the fields and makes
 * `seq` 2k. A reader that loads `seq` s reads rec[(s / 2) % 2], the last
 * whole record, which the next writer does not touch; only record s/2 + 2
 * writes it again, and that one starts by making `seq` s/2 * 2 + 3. So the
 * read is whole if `seq` is still below that afterwards. `seq` 0: nothing
 * was ever recorded. The fields are relaxed atomics so that a reader
 * racing a writer is well defined. No field is a 64-bit atomic.
 */
struct sp_slot_rec {
  sp_atomic_int code, errnum;
  sp_atomic_uint pid, uid;
  sp_atomic_intptr value; /* si_value.sival_ptr */
  sp_atomic_intptr extra; /* sp_record.extra */
};

struct sp_slot {
  atomic_flag busy;
  sp_atomic_uint seq;
  struct sp_slot_rec rec[2];
};

/* The one field of a siginfo that only some signals have: si_status for
   SIGCHLD, si_band for SIGPOLL and si_addr for a fault (SP_EXTRA_*). The
   signal number says which, so a record carries one word for the three. */
#if defined(SIGPORT_SIGCHLD)
#define SP_EXTRA_IS_STATUS(signum) ((signum) == SIGPORT_SIGCHLD)
#else
#define SP_EXTRA_IS_STATUS(signum) ((void)(signum), 0)
#endif
#if defined(SIGPORT_SIGPOLL)
#define SP_EXTRA_IS_BAND(signum) ((signum) == SIGPORT_SIGPOLL)
#else
#define SP_EXTRA_IS_BAND(signum) ((void)(signum), 0)
#endif
/* The fault signals as bits (each is below 32 everywhere): one test. */
#if defined(SIGPORT_SIGBUS)
#define SP_FAULT_BITS                                                       \
  ((1u << SIGPORT_SIGSEGV) | (1u << SIGPORT_SIGBUS) |                        \
   (1u << SIGPORT_SIGFPE) | (1u << SIGPORT_SIGILL))
#else
#define SP_FAULT_BITS                                                       \
  ((1u << SIGPORT_SIGSEGV) | (1u << SIGPORT_SIGFPE) | (1u << SIGPORT_SIGILL))
#endif
#define SP_EXTRA_IS_ADDR(signum)                                            \
  ((unsigned)(signum) < 32u && ((1u << (unsigned)(signum)) & SP_FAULT_BITS))
/* Whether signum has an extra word at all, in one test: SIGCHLD and
   SIGPOLL are below 32 too. */
#if defined(SIGPORT_SIGCHLD) && defined(SIGPORT_SIGPOLL)
#define SP_EXTRA_BITS                                                       \
  (SP_FAULT_BITS | (1u << SIGPORT_SIGCHLD) | (1u << SIGPORT_SIGPOLL))
#elif defined(SIGPORT_SIGCHLD)
#define SP_EXTRA_BITS (SP_FAULT_BITS | (1u << SIGPORT_SIGCHLD))
#else
#define SP_EXTRA_BITS SP_FAULT_BITS
#endif
#define SP_EXTRA_ANY(signum)                                                \
  ((unsigned)(signum) < 32u && ((1u << (unsigned)(signum)) & SP_EXTRA_BITS))
_Static_assert(SIGPORT_SIGSEGV < 32 && SIGPORT_SIGFPE < 32 &&
                   SIGPORT_SIGILL < 32,
               "the fault signals are below 32");

/* si_value.sival_int of a sigval whose sival_ptr was `value`: the two
   share their first bytes, as in union sigval, which is not the low bytes
   of `value` on a big-endian 64-bit system. */
static inline int sp__value_int(intptr_t value) {
  union {
    intptr_t ptr;
    int i;
  } u;
  u.ptr = value;
  return u.i;
}

/* What a backend's raw handler hands to the trip. */
struct sp_record {
  int code, errnum;
  unsigned pid, uid;
  intptr_t value;   /* si_value.sival_ptr as an integer; sival_int is
                       read from it by sp__value_int() */
  intptr_t extra;   /* status, band or address, by the signal (above) */
};

struct sp_sig {
  sp_atomic_ulong count; /* deliveries not yet taken by dispatch */
  struct sp_slot slot;
  /* The handler, set on the main thread; atomic because
     sigport_getsignal() may read it from any thread. */
  _Atomic(sigport_handler_fn) fn;
  sp_atomic_ptr arg;
  /* What sigport last set (enum sp_disp); main thread only, but read by
     sigport_restore_for_exec() in a fork() child. */
  sp_atomic_int ours;
  /* The last sigport_shutdown() replaced the trip with the saved
     disposition: a trip that starts after it raises the signal again. */
  sp_atomic_int raise_late;
  /* The trip counts deliveries for dispatch: the primary handler is a
     function, or an added handler (chain.c) is there. Only looked at by a
     trip while a watch is open; without one, a signal whose trip is
     installed is always dispatched. */
  sp_atomic_int dispatched;
  /* An added handler asked for chaining: the trip also calls the action
     saved when sigport first took the signal (POSIX only). */
  sp_atomic_int chain_on;
  /* Under the lock (sp__backend_lock): the open watches whose set holds
     the signal, the added handlers and those of them with
     SIGPORT_ADD_CHAIN. The added handlers change on the main thread only,
     which also reads them without the lock. */
  int watchers;
  int nhandlers;
  int nchain;
  /* Main thread: the change of disposition a chained handler made was
     reported (dispatch.c). */
  int chain_reported;
};

/* Something awaits dispatch. Outside sp_state so that sigport.h can read
   it inline (sigport_pending()). */
extern sp_atomic_int sigport__pending_flag;

struct sp_state {
  sp_atomic_ulong bits[SP_NWORDS]; /* which signals have deliveries */
  sp_atomic_int sleeping;          /* sigport_pause() is about to sleep */
  /* The trips running now, on any thread, counted by phase: a trip counts
     itself in trips_active[trip_phase % 2] (trip.h). A wait flips the
     phase and waits for the other counter only, so a storm of new trips
     cannot hold it up. */
  sp_atomic_int trips_active[2];
  sp_atomic_uint trip_phase;
  sp_atomic_int live;              /* trips record: from sigport_init() until
                                      sigport_shutdown() has given the
                                      dispositions back */
  sp_atomic_intptr wakeup_fd;      /* sigport_socket_t, or SIGPORT_NO_SOCKET */
  sp_atomic_uint wakeup_flags;
  sp_atomic_uint wakeup_failures;  /* failed writes since the last report */
  sp_atomic_int wakeup_error;      /* the last failure's error number */
  sp_atomic_uint dispatches;       /* dispatch calls that took something and
                                      finished; a console thread waits on it */
  sp_atomic_int init_count;        /* sigport_init() calls not yet undone */
  /* 1 from sigport_dispatch_thread_start() until
     sigport_dispatch_thread_stop() (dispatch_thread.c): the dispatch
     thread runs the handlers, and the main thread none. Written by the
     main thread only. */
  sp_atomic_int dthread;
  unsigned init_flags;             /* the first sigport_init()'s flags */
  /* The open watches, a struct sp_watch_list (watch.h) that open and
     close copy and swap; NULL when no watch is open, which is all a trip
     looks at then. */
  sp_atomic_ptr watches;
  /* A child watch's end may have come (child.c): the next dispatch
     harvests. */
  sp_atomic_int child_due;
  /* 1 while sigport_child_fd() has been handed out and something is
     watched: a dispatch with nothing pending then asks the backend
     whether the child fd is readable (child.c), since a loop may wake on
     it before the SIGCHLD that tells of the same end. */
  sp_atomic_int child_poll;
  /* Under the lock: 1 while the child watches hold SIGCHLD and need its
     deliveries dispatched (kept here, not in struct sp_sig, which stays
     128 bytes on LP64 so that indexing it is a shift). */
  int child_hold;
  struct sp_sig sig[SIGPORT_NSIG];
};

extern struct sp_state sp__state;

/* The dispatch thread owns dispatch (see sp_state.dthread). Meant for
   the main thread, the only writer; relaxed. */
static inline int sp__dthread_on(void) {
  return atomic_load_explicit(&sp__state.dthread, SP_RELAXED);
}

/* sigport_init() has been called more often than sigport_shutdown(). */
static inline int sp__initialised(void) {
  return atomic_load_explicit(&sp__state.init_count, SP_ACQUIRE) > 0;
}

/* Resets what a fork() child must not inherit: counters, bitmap, flags,
   slots and the wakeup fd. Async-signal-safe; all signals must be blocked.
   trips_active is left alone: a trip on another thread may be running. */
void sp__state_reset_deliveries(void);

/* The main thread: made so by sigport_init(), and by a fork() child's
   handler for the forking thread. is_main_thread is 0 in every other
   thread, and in every thread once the main thread has exited. */
void sp__set_main_thread(void);
extern sp_atomic_uint sp__main_generation;
extern SP_THREAD_LOCAL unsigned sp__main_token;
static inline int sp__is_main_thread(void) {
  /* The generation is never 0, which a thread's token is until marked. */
  return sp__main_token ==
         atomic_load_explicit(&sp__main_generation, SP_RELAXED);
}

/* Waits until every trip that may not see the caller's earlier stores
   (a new watch list, `live` cleared, a new wakeup fd) has ended, on any
   thread. It flips trip_phase and waits for the trips counted in the old
   phase; a trip that counts itself in the new one read the flip, and with
   it everything stored before. New trips do not hold it up. The caller
   holds the backend lock (sp__backend_lock), which keeps the waits from
   overlapping. */
void sp__state_wait_for_trips(void);
/* The same for a caller that does not hold the backend lock: takes it. */
void sp__state_wait_for_trips_unlocked(void);

/* The fields of a slot, read once; the caller checks `seq` around it. */
static inline void sp__slot_take_fields(const struct sp_slot_rec *from,
                                        struct sp_record *rec) {
  rec->code = atomic_load_explicit(&from->code, SP_RELAXED);
  rec->errnum = atomic_load_explicit(&from->errnum, SP_RELAXED);
  rec->pid = atomic_load_explicit(&from->pid, SP_RELAXED);
  rec->uid = atomic_load_explicit(&from->uid, SP_RELAXED);
  rec->value = atomic_load_explicit(&from->value, SP_RELAXED);
  rec->extra = atomic_load_explicit(&from->extra, SP_RELAXED);
}

/* Reads the last whole record once, as struct sp_slot describes: 1 when
   it is whole, 0 when nothing was ever recorded, -1 when a writer came
   round to that copy meanwhile. */
static inline int sp__slot_try(const struct sp_slot *slot,
                               struct sp_record *rec) {
  unsigned before = atomic_load_explicit(&slot->seq, SP_ACQUIRE), after;
  if (before == 0) return 0;
  sp__slot_take_fields(&slot->rec[(before >> 1) & 1u], rec);
  atomic_thread_fence(SP_ACQUIRE);
  after = atomic_load_explicit(&slot->seq, SP_RELAXED);
  return after - (before & ~1u) <= 2u ? 1 : -1;
}

/* sp__slot_read() once the first look raced two writers: it looks again,
   and yields now and then, a bounded number of times (state.c). */
int sp__slot_read_again(const struct sp_slot *slot, struct sp_record *rec);

/* Reads the last whole record of a slot: 1 with *rec filled, 0 when
   nothing was ever recorded, -1 when writers kept rewriting the copy it
   read for as long as it tried (a storm of deliveries from other threads,
   each recorded while this read ran). *rec is unspecified unless it
   returns 1. Any thread. A writer stopped half way does not hold it up:
   it writes the other copy. */
static inline int sp__slot_read(const struct sp_slot *slot,
                                struct sp_record *rec) {
  int r = sp__slot_try(slot, rec);
  if (SP_LIKELY(r >= 0)) return r;
  return sp__slot_read_again(slot, rec);
}

/* Fills a public siginfo from a record. */
static inline void sp__info_fill(sigport_siginfo_t *info, int signum,
                                 const struct sp_record *rec,
                                 unsigned long count) {
  info->signo = signum;
  info->code = rec->code;
  info->errnum = rec->errnum;
  info->pid = rec->pid;
  info->uid = rec->uid;
  info->value = rec->value;
  info->value_int = sp__value_int(rec->value);
  info->status = 0;
  info->band = 0;
  info->addr = NULL;
  /* Most deliveries have no extra word: one test for them. */
  if (rec->extra != 0) {
    if (SP_EXTRA_IS_STATUS(signum))
      info->status = (int)rec->extra;
    else if (SP_EXTRA_IS_BAND(signum))
      info->band = (int64_t)rec->extra;
    else if (SP_EXTRA_IS_ADDR(signum))
      info->addr = (void *)rec->extra;
  }
  info->count = count;
  info->reserved32 = 0;
  info->reserved[0] = info->reserved[1] = info->reserved[2] = 0;
}

/* sp__slot_info() once its first look raced two writers (state.c). */
void sp__slot_info_again(const struct sp_slot *slot, int signum,
                         unsigned long count, sigport_siginfo_t *info);

/* Fills a public siginfo with the last recorded siginfo of signum, from
   its slot: all zero but the number and the count when there is none. The
   record stays a local that nothing out of line sees, so that the
   compiler keeps it in registers. */
static inline void sp__slot_info(const struct sp_slot *slot, int signum,
                                 unsigned long count,
                                 sigport_siginfo_t *info) {
  struct sp_record got;
  if (SP_LIKELY(sp__slot_try(slot, &got) > 0)) {
    sp__info_fill(info, signum, &got, count);
    return;
  }
  sp__slot_info_again(slot, signum, count, info);
}

/* The trip, sp__trip(), is inline in trip.h. */

#endif /* SIGPORT_STATE_H */
