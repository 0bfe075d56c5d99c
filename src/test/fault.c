/*
 * fault.c: the test seam of the calls that make things (internal.h): the
 * table of those calls, and which one fails when; and the test points.
 * Built into the tests' static library only (SIGPORT_TEST_INTERNALS); the
 * library that is installed has neither, and makes each call directly.
 */
#include "../internal.h"

#if !defined(SIGPORT_TEST_INTERNALS)
#error "fault.c is the tests' seam: build it with SIGPORT_TEST_INTERNALS"
#endif

/* One row a call: its name, the calls made since the last set or clear,
   and the call that fails (0: none) with its errno. Atomics, since a trip
   or a fork() child may count while a test thread sets. */
struct sp_syscall {
  const char *name;
  sp_atomic_int calls;
  sp_atomic_int nth;
  sp_atomic_int err;
};

static struct sp_syscall table[SP_CALL_COUNT] = {
    [SP_CALL_MALLOC] = {"malloc", 0, 0, 0},
    [SP_CALL_CALLOC] = {"calloc", 0, 0, 0},
    [SP_CALL_EVENTFD] = {"eventfd", 0, 0, 0},
    [SP_CALL_PIPE] = {"pipe", 0, 0, 0},
    [SP_CALL_FCNTL] = {"fcntl", 0, 0, 0},
    [SP_CALL_SIGACTION] = {"sigaction", 0, 0, 0},
    [SP_CALL_SOCKETPAIR] = {"socketpair", 0, 0, 0},
    [SP_CALL_PIDFD_OPEN] = {"pidfd_open", 0, 0, 0},
    [SP_CALL_EPOLL_CREATE] = {"epoll_create1", 0, 0, 0},
    [SP_CALL_EPOLL_CTL] = {"epoll_ctl", 0, 0, 0},
};

int sp__fault(enum sp_call which) {
  struct sp_syscall *row = &table[which];
  int n = atomic_fetch_add_explicit(&row->calls, 1, SP_SEQ_CST) + 1;
  if (n != atomic_load_explicit(&row->nth, SP_SEQ_CST)) return 0;
  return atomic_load_explicit(&row->err, SP_SEQ_CST);
}

void sp__fault_clear(void) {
  int i;
  for (i = 0; i < SP_CALL_COUNT; i++) {
    atomic_store_explicit(&table[i].nth, 0, SP_SEQ_CST);
    atomic_store_explicit(&table[i].err, 0, SP_SEQ_CST);
    atomic_store_explicit(&table[i].calls, 0, SP_SEQ_CST);
  }
}

void sp__fault_set(enum sp_call which, int nth, int err) {
  sp__fault_clear();
  atomic_store_explicit(&table[which].err, err, SP_SEQ_CST);
  atomic_store_explicit(&table[which].nth, nth, SP_SEQ_CST);
}

int sp__fault_calls(enum sp_call which) {
  return atomic_load_explicit(&table[which].calls, SP_SEQ_CST);
}

const char *sp__fault_name(enum sp_call which) { return table[which].name; }

/* The functions of the test points (internal.h). */
static void (*points[SP_POINT_COUNT])(void);

void sp__point(enum sp_point where) {
  if (points[where] != NULL) points[where]();
}

void sp__point_set(enum sp_point where, void (*fn)(void)) {
  points[where] = fn;
}
