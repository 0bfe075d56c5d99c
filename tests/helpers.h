/*
 * helpers.h: what the test suites share.
 */
#ifndef SIGPORT_TEST_HELPERS_H
#define SIGPORT_TEST_HELPERS_H

#include <check.h>
#include <string.h>

#include "sigport.h"
#include "suites.h"

/* The path of the test executable, for re-running it as a child. */
extern const char *sp_test_argv0;

/* 1 under ThreadSanitizer or valgrind, where queued and standard signals
   merge, so exact delivery counts cannot be asserted (SIGPORT_TEST_RELAXED
   set in the environment by the test configuration). */
int sp_test_relaxed_counts(void);

/* 1 when the tests run under valgrind (SIGPORT_TEST_RELAXED=valgrind),
   whose emulation of a few system calls differs from the kernel's. */
int sp_test_under_valgrind(void);

/* A handler's record of what it saw. sp_count_handler() counts into the
   struct its arg points to, and returns its `result`. */
struct sp_counter {
  int calls;               /* handler calls */
  unsigned long total;     /* deliveries, info->count added up */
  sigport_siginfo_t last;  /* the last call's info */
  int result;              /* what the handler returns */
};
int sp_count_handler(int signum, const sigport_siginfo_t *info, void *arg);

/* The order in which handlers ran: sp_order_handler() appends signum. */
extern int sp_order[64];
extern int sp_norder;
int sp_order_handler(int signum, const sigport_siginfo_t *info, void *arg);

#if !defined(_WIN32)
/* Takes every signal left pending while blocked in this thread or the
   process, so that unblocking raises nothing. */
void sp_drain_blocked(void);

/* The calling thread's kernel id, for the two waits below. */
long sp_thread_id(void);

/* Waits until thread `tid` of this process sleeps in read() on `fd`, so
   that a signal sent to it then interrupts that read, whatever the load.
   Linux only (/proc/self/task/TID/syscall): returns 0, or -1 with errno
   set when the system cannot tell. */
int sp_wait_blocked_in_read(long tid, int fd);

/* Waits until the kernel has delivered `signum`, sent to thread `tid` of
   this process, to a handler: a system call that the signal interrupted
   has returned or been restarted by then. Linux only (SigPnd in
   /proc/self/task/TID/status): returns 0, or -1 with errno set. */
int sp_wait_delivered(long tid, int signum);
#endif

#if defined(__linux__)
/* Waits until thread tid of this process sleeps in the kernel (state S in
   /proc), so that what comes next finds it asleep. */
void sp_wait_until_asleep(long tid);
#endif

/* Milliseconds on a monotonic clock. */
double sp_now_ms(void);
/* Sleeps for ms milliseconds. */
void sp_sleep_ms(int ms);

/* Asserts that a call failed with `code` and that sigport_last_error()
   contains `needle`. */
#define SP_ASSERT_FAILS(call, code, needle)                                  \
  do {                                                                       \
    int sp_rc_ = (call);                                                     \
    ck_assert_msg(sp_rc_ == (code), "%s returned %d, expected %d (%s)",      \
                  #call, sp_rc_, (code), sigport_last_error());              \
    ck_assert_msg(strstr(sigport_last_error(), (needle)) != NULL,            \
                  "%s: message '%s' does not contain '%s'", #call,           \
                  sigport_last_error(), (needle));                           \
  } while (0)

/* Asserts that a call returned 0. */
#define SP_ASSERT_OK(call)                                                  \
  do {                                                                       \
    int sp_rc_ = (call);                                                     \
    ck_assert_msg(sp_rc_ == 0, "%s returned %d: %s", #call, sp_rc_,          \
                  sigport_last_error());                                     \
  } while (0)

#endif
