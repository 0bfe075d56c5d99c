/*
 * atomics.h: the lock-free atomics the trip may use, and the few compiler
 * facilities the core needs.
 *
 * Everything the raw signal handler touches is a C11 atomic that is
 * lock-free, so the handler never waits for a lock it may already hold. A
 * compiler without <stdatomic.h> gets its wrappers here and nowhere else.
 */
#ifndef SIGPORT_ATOMICS_H
#define SIGPORT_ATOMICS_H

#include <stdatomic.h>
#include <stdint.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free");
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "atomic long must be lock-free");
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2,
               "atomic pointers must be lock-free");

typedef atomic_int sp_atomic_int;
typedef atomic_uint sp_atomic_uint;
typedef atomic_ulong sp_atomic_ulong;
typedef atomic_long sp_atomic_long;
/* Pointer-sized, so lock-free by ATOMIC_POINTER_LOCK_FREE; holds a
   sigport_socket_t (an fd or a SOCKET) or a pointer. */
typedef _Atomic(intptr_t) sp_atomic_intptr;
typedef _Atomic(void *) sp_atomic_ptr;

#define SP_RELAXED memory_order_relaxed
#define SP_ACQUIRE memory_order_acquire
#define SP_RELEASE memory_order_release
#define SP_ACQ_REL memory_order_acq_rel
#define SP_SEQ_CST memory_order_seq_cst

/* Thread-local storage, for error messages only (never in the trip). */
#if defined(_MSC_VER) && !defined(__clang__)
#define SP_THREAD_LOCAL __declspec(thread)
#else
#define SP_THREAD_LOCAL _Thread_local
#endif

/* The index of the lowest set bit of a non-zero word. */
static inline int sp_lowest_bit(unsigned long word) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctzl(word);
#else
  int n = 0;
  while (!(word & 1ul)) {
    word >>= 1;
    n++;
  }
  return n;
#endif
}

#if defined(__GNUC__) || defined(__clang__)
#define SP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SP_LIKELY(x) __builtin_expect(!!(x), 1)
#define SP_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* A function off the hot path: never inlined, laid out apart. */
#define SP_COLD __attribute__((noinline, cold))
/* A small function on the hot path that the compiler must inline. */
#define SP_INLINE inline __attribute__((always_inline))
#else
#define SP_PRINTF(f, a)
#define SP_LIKELY(x) (x)
#define SP_UNLIKELY(x) (x)
#define SP_COLD
#define SP_INLINE inline
#endif

#endif /* SIGPORT_ATOMICS_H */
