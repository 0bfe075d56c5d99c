/*
 * dispatch.c: taking what the trips recorded and running the handlers, and
 * the rules for what a handler returns.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "child.h"
#include "internal.h"

/* sigport_siginfo_t as 0.1 had it. reserved32 and value_int were carved
   from the first of its reserved words (reserved32 from the padding before
   it, where there is some): the struct's size and the offsets of the
   members it had are unchanged, so a program built against 0.1 reads the
   same fields. */
struct sp_siginfo_0_1 {
  int signo, code, errnum, status;
  int64_t pid;
  uint32_t uid;
  int64_t band;
  intptr_t value;
  void *addr;
  unsigned long count;
  uint64_t reserved[4];
};
#define SP_SAME_OFFSET(member)                                              \
  _Static_assert(offsetof(sigport_siginfo_t, member) ==                     \
                     offsetof(struct sp_siginfo_0_1, member),               \
                 "sigport_siginfo_t." #member " moved");
_Static_assert(sizeof(sigport_siginfo_t) == sizeof(struct sp_siginfo_0_1),
               "sigport_siginfo_t changed size");
SP_SAME_OFFSET(signo)
SP_SAME_OFFSET(code)
SP_SAME_OFFSET(errnum)
SP_SAME_OFFSET(status)
SP_SAME_OFFSET(pid)
SP_SAME_OFFSET(uid)
SP_SAME_OFFSET(band)
SP_SAME_OFFSET(value)
SP_SAME_OFFSET(addr)
SP_SAME_OFFSET(count)
_Static_assert(offsetof(sigport_siginfo_t, value_int) >=
                       offsetof(struct sp_siginfo_0_1, reserved) &&
                   offsetof(sigport_siginfo_t, value_int) + sizeof(int) <=
                       offsetof(struct sp_siginfo_0_1, reserved) + 8,
               "value_int lies in 0.1's first reserved word");
_Static_assert(offsetof(sigport_siginfo_t, reserved) ==
                   offsetof(struct sp_siginfo_0_1, reserved) + 8,
               "the other reserved words stay where they were");

/* Reports failed wakeup writes counted by the trips since the last time. */
static void report_wakeup_failures(void) {
  char text[128];
  if (atomic_load_explicit(&sp__state.wakeup_failures, SP_RELAXED) == 0)
    return;
  if (atomic_exchange_explicit(&sp__state.wakeup_failures, 0, SP_ACQUIRE) == 0)
    return;
  sp__backend_error_text(
      atomic_load_explicit(&sp__state.wakeup_error, SP_RELAXED), text,
      sizeof text);
  fprintf(stderr, "sigport: could not write to the wakeup fd: %s\n", text);
  fflush(stderr);
}

/* A SIGCHLD was taken: the child watches look at what ended, after the
   handlers (child.c). */
static inline void sp__child_mark(int signum) {
#if defined(SIGPORT_SIGCHLD)
  if (signum == SIGPORT_SIGCHLD)
    atomic_store_explicit(&sp__state.child_due, 1, SP_RELAXED);
#else
  (void)signum;
#endif
}

/* Takes the deliveries of signum (its bit already cleared) and runs its
   handlers, the primary one first, then the added ones in the order they
   were added, all with the same info: the first non-zero result, or 0
   when there was nothing to run. */
static inline int run_one(int signum) {
  struct sp_sig *sig = &sp__state.sig[signum];
  sigport_siginfo_t info;
  sigport_handler_fn fn;
  int result = 0, added;
  unsigned long n = atomic_exchange_explicit(&sig->count, 0, SP_ACQ_REL);
  if (n == 0) return 0; /* a nested dispatch took it */
  fn = atomic_load_explicit(&sig->fn, SP_RELAXED);
  /* Only the main thread changes the added handlers. */
  added = sig->nhandlers > 0;
  /* A handler reset to SIG_DFL or SIG_IGN (or given back) before this
     dispatch, with no added handler: the delivery is dropped. */
  if ((fn == SIGPORT_SIG_DFL || fn == SIGPORT_SIG_IGN ||
       fn == SIGPORT_SIG_EXTERNAL) &&
      !added) {
    sp__child_mark(signum);
    return 0;
  }
  sp__slot_info(&sig->slot, signum, n, &info);
  if (fn != SIGPORT_SIG_DFL && fn != SIGPORT_SIG_IGN &&
      fn != SIGPORT_SIG_EXTERNAL)
    result = fn(signum, &info, atomic_load_explicit(&sig->arg, SP_RELAXED));
  if (added) {
    int r = sp__added_run(signum, &info);
    if (result == 0) result = r;
    sp__added_check_chain(signum);
  }
  sp__child_mark(signum);
  return result;
}

/* Makes the pending flag say exactly whether a bit is left. A trip that
   ran during this dispatch set the flag, and its signal may have been
   taken since: the flag is cleared, then set again if a bit is left. A
   trip sets its bit before the flag, so either its flag store comes after
   the clear, or its bit is seen here. */
static void settle_pending(void) {
  int w;
  atomic_exchange_explicit(&sigport__pending_flag, 0, SP_SEQ_CST);
  /* The child watches' harvest counts as pending too (child.c). */
  if (atomic_load_explicit(&sp__state.child_due, SP_SEQ_CST) != 0) {
    atomic_store_explicit(&sigport__pending_flag, 1, SP_SEQ_CST);
    return;
  }
  for (w = 0; w < SP_NWORDS; w++) {
    if (atomic_load_explicit(&sp__state.bits[w], SP_SEQ_CST) != 0) {
      atomic_store_explicit(&sigport__pending_flag, 1, SP_SEQ_CST);
      return;
    }
  }
}

static int dispatch_all(void) {
  int w, result = 0;
  report_wakeup_failures();
  atomic_exchange_explicit(&sigport__pending_flag, 0, SP_ACQ_REL);
  for (w = 0; w < SP_NWORDS && result == 0; w++) {
    /* Bits at or below the last signal run here are left for the next
       dispatch, so that a handler that raises its own signal cannot keep
       this loop going for ever. */
    unsigned long above = ~0ul;
    for (;;) {
      unsigned long word =
          atomic_load_explicit(&sp__state.bits[w], SP_ACQUIRE) & above;
      int bit, signum;
      if (word == 0) break;
      bit = sp_lowest_bit(word);
      signum = w * SP_WORD_BITS + bit + 1;
      /* Two shifts: one by the word's width would be undefined. */
      above = ~0ul << bit << 1;
      atomic_fetch_and_explicit(&sp__state.bits[w], ~(1ul << bit),
                                SP_ACQ_REL);
      result = run_one(signum);
      if (result != 0) break;
    }
  }
  /* The child watches, after the handlers: what a SIGCHLD or a wait
     callback made due. */
  if (result == 0 &&
      SP_UNLIKELY(atomic_load_explicit(&sp__state.child_due, SP_RELAXED)))
    result = sp__child_dispatch();
  /* Signals this call stopped before need the flag; one that a trip set
     for a signal this call then took must not stay. */
  if (result != 0 ||
      atomic_load_explicit(&sigport__pending_flag, SP_RELAXED) != 0)
    settle_pending();
  /* One thread dispatches at a time, the main thread or the dispatch
     thread: a plain increment, no locked instruction. */
  atomic_store_explicit(
      &sp__state.dispatches,
      atomic_load_explicit(&sp__state.dispatches, SP_RELAXED) + 1,
      SP_RELEASE);
  return result;
}

/* In parentheses: sigport.h may define sigport_pending() as a macro. */
int(sigport_pending)(void) {
  return atomic_load_explicit(&sigport__pending_flag, SP_RELAXED);
}

int sigport_dispatch(void) {
  if (!sp__is_main_thread() || !sp__initialised()) {
    /* A handler on the dispatch thread: a nested dispatch, as on the main
       thread. */
    if (sp__dthread_is_self())
      return atomic_load_explicit(&sigport__pending_flag, SP_RELAXED)
                 ? dispatch_all()
                 : 0;
    return sp__check_main("sigport_dispatch");
  }
  if (SP_UNLIKELY(sp__dthread_on()))
    return sp__dthread_refuse("sigport_dispatch");
  if (SP_LIKELY(!atomic_load_explicit(&sigport__pending_flag, SP_RELAXED))) {
    /* A loop woken by the child fd before the SIGCHLD came (child.c). */
    if (SP_UNLIKELY(atomic_load_explicit(&sp__state.child_poll, SP_RELAXED)) &&
        sp__child_poll())
      return dispatch_all();
    return 0;
  }
  return dispatch_all();
}

int sp__dispatch_if_main(void) {
  if (!sp__initialised() || !sp__is_main_thread()) return 0;
  /* What is pending is the dispatch thread's. */
  if (sp__dthread_on()) return 0;
  if (!atomic_load_explicit(&sigport__pending_flag, SP_RELAXED)) return 0;
  return dispatch_all();
}

int sp__dispatch_from_thread(void) { return dispatch_all(); }

int sp__dispatch_one(int signum) {
  unsigned long bit = SP_BIT_OF(signum);
  sp_atomic_ulong *word = &sp__state.bits[SP_WORD_OF(signum)];
  int result;
  if ((atomic_load_explicit(word, SP_ACQUIRE) & bit) == 0) return 0;
  atomic_fetch_and_explicit(word, ~bit, SP_ACQ_REL);
  result = run_one(signum);
  settle_pending();
  return result;
}
