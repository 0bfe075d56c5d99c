/*
 * helpers.h: what the test suites share.
 */
#ifndef SIGPORT_TEST_HELPERS_H
#define SIGPORT_TEST_HELPERS_H

#include <check.h>
#include <string.h>
#include <time.h>

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

/* 1 when the tests run under qemu-user: SIGPORT_TEST_EMULATOR, which the
   test configuration sets to the cross-compiling emulator, names qemu. */
int sp_test_under_qemu(void);

/* What qemu-user does not emulate, on which a test may leave a check out
   when, and only when, it runs under qemu-user: the test configuration
   sets SIGPORT_TEST_EMULATOR to the cross-compiling emulator, and its
   name must contain "qemu". These are qemu's limits, not sigport's. */
enum sp_qemu_limit {
  /* /proc/PID/status of an emulated process shows qemu's dispositions:
     every signal caught, none ignored or blocked. */
  SP_QEMU_PROC_STATUS,
  /* Signals from SP_QEMU_HIGH_RT_FIRST up cannot be blocked by the guest:
     qemu keeps the host's two highest, 63 and 64, for itself, and has no
     host signal for a guest's above 64 (MIPS has 127). */
  SP_QEMU_HIGH_RT,
  /* qemu-i386 (7.2): threads misbehave (pthread_join fails with EDEADLK,
     the main thread is not always recognised). Applies only where the
     emulator is qemu-i386. */
  SP_QEMU_I386_THREADS,
  /* qemu-mips64el and qemu-mipsel (7.2): a read() that a handler without
     SA_RESTART interrupts is now and then restarted after the handler, as
     if the signal had come before the call, when the machine is loaded
     (about one run in three of the core suite with three at once; never
     seen on the other targets). A program without sigport shows it too:
     plain sigaction() without SA_RESTART, a thread that signals the
     reader once /proc shows it blocked in read(): 12, 28 and 66 of 100
     reads restarted in three such programs at once under qemu-mips64el,
     0 of 300 under qemu-aarch64. Applies only where the emulator is
     qemu-mips. This one is not among CROSS.md's limits: the cross step
     found it. */
  SP_QEMU_MIPS_EINTR
};

/* Asserts that a read() which a handler without SA_RESTART interrupted
   returned -1 with `err` EINTR. Under qemu-mips only, a read that was
   restarted and got its byte (n == 1) passes too, and says so
   (SP_QEMU_MIPS_EINTR). */
void sp_assert_eintr(long n, int err);

/* The first signal of SP_QEMU_HIGH_RT. */
#define SP_QEMU_HIGH_RT_FIRST 63

/* 1 when the test runs under qemu-user and `limit` applies to this
   target: it then prints, once per process for each `what`, a line
   "SKIPPED under qemu-user: WHAT: <the limit>", and the caller leaves out
   what depends on the limit (a Check test returns early, since Check has
   no skip). 0 otherwise, without a word. Every place that skips a check
   on qemu calls this. */
int sp_test_qemu_limit(enum sp_qemu_limit limit, const char *what);

/* tcase_add_test() for a test that starts threads of its own. Under
   qemu-i386 (SP_QEMU_I386_THREADS) the test is not added, and
   sp_test_qemu_limit() says so with the test's name; everywhere else it is
   tcase_add_test(). */
#define sp_tcase_add_thread_test(tc, t) \
  sp_tcase_add_thread_loop_test(tc, t, 0, 1)
void sp_tcase_add_thread_loop_test(TCase *tc, const TTest *t, int start,
                                   int end);

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
#include <stdatomic.h>
#include <sys/types.h>

/* Takes every signal left pending while blocked in this thread or the
   process, so that unblocking raises nothing. */
void sp_drain_blocked(void);

/* The set of signum alone. */
sigport_sigset_t sp_set_of(int signum);

/* Whether signum's raw disposition (sigaction()) is SIG_DFL. */
int sp_raw_is_default(int signum);

/* Whether fd is readable now (poll(), no wait). */
int sp_fd_readable(int fd);

/* sigqueue()s signum with the int `value` to this process: delivered
   before it returns when no other thread can take it. */
void sp_queue_self(int signum, int value);

/* read() of one byte, retried on EINTR. */
ssize_t sp_read_byte(int fd, char *c);

/* A storm from a thread: sp_storm_sender() blocks every signal in its
   thread, sigqueue()s `sends` deliveries of signum to the process (values
   0, 1, ...), then writes one byte to done_fd. failed: the errno of what
   failed, or 0. */
struct sp_storm {
  int signum;
  int sends;
  int done_fd;
  atomic_int failed;
};
void *sp_storm_sender(void *storm);

/* Forks a child that checks what a fork() child of a process with
   watches must have: signum back to SIG_DFL (raw sigaction()) and the
   watch's fd `fd` closed; it then raises signum, and the parent asserts
   that the child died by it. */
void sp_fork_expect_given_back(int signum, int fd);

/* One look of a storm's poll loop: waits up to 30 s for fd, and for the
   senders' pipe done_rd while fewer than `senders` have written to it
   (*done counts those). Returns 1 when fd is readable, 0 when it is not
   (a sender finished, or a signal interrupted the wait), and -1 when
   nothing came for 30 s: the caller fails the test, saying what it had
   taken. */
int sp_storm_poll(int fd, int done_rd, int *done, int senders);

/* Churn: sp_churner() opens a watch on `set` (in share's group when share
   is not NULL; every other one in queue mode), takes what it has, closes
   it, over and over until `stop`. opened: how many it opened; failed: the
   first failing call's code, or 0. */
struct sp_churn {
  sigport_sigset_t set;
  sigport_watch_t *share;
  atomic_int stop;
  int opened, failed;
};
void *sp_churner(void *churn);

/* Forks a sender, paced by its parent: it sigqueue()s `sends` deliveries
   of signum to the parent (values 0, 1, ...) in batches of `batch`, writes
   a byte to the pipe *up after each batch, and reads one from the pipe
   *down before the next, so that the parent has taken each batch before
   the next comes (RLIMIT_SIGPENDING is never reached, and what the parent
   counts is never more than what was sent). The child exits 0, or 3 to 5
   when sigqueue(), the write or the read failed. Returns its pid; *up is
   the parent's read end, *down its write end, both the caller's to
   close. */
pid_t sp_start_paced_sender(int signum, int sends, int batch, int *up,
                            int *down);

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

/* Milliseconds on a monotonic clock. Inline on POSIX, so that no double
   crosses a function's return, which the i386 ABI makes in an x87
   register: qemu-i386 7.2 loses the x87 registers when it delivers a
   signal, and a run_until() of the child suite once began at a clock of
   0.000 ms. ci/cross.sh builds the test programs with SSE2 arithmetic
   there (SIGPORT_PROGRAM_C_FLAGS), which leaves this function without
   an x87 instruction. */
#if defined(_WIN32)
double sp_now_ms(void);
#else
static inline double sp_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
#endif
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
