/*
 * test_chain.c: several handlers per signal and chaining (SPEC 6.2), with
 * real signals and real faults: the order of the handlers and their
 * results, one-shot handlers and ids, handlers installed with the raw
 * sigaction() before sigport that the trip chains to (with their siginfo,
 * and for a memory fault that they fix or let end the process), and what
 * is left when the last handler goes, read back with the raw sigaction().
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }
static void teardown(void) { sigport_shutdown(); }

static struct sigaction raw_get(int signum) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return sa;
}

static void raw_set_handler(int signum, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = fn;
  ck_assert_int_eq(sigaction(signum, &sa, NULL), 0);
}

static void raw_set_siginfo(int signum, void (*fn)(int, siginfo_t *, void *)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO;
  ck_assert_int_eq(sigaction(signum, &sa, NULL), 0);
}

/* A handler that records its tag (its arg) in a list of calls, with the
   count and the value it saw, and returns a result chosen per tag. */
struct call {
  int tag;
  unsigned long count;
  int value;
};
static struct call calls[64];
static int ncalls;
static int results[8];

static int tagged(int signum, const sigport_siginfo_t *info, void *arg) {
  int tag = (int)(intptr_t)arg;
  (void)signum;
  if (ncalls < 64) {
    calls[ncalls].tag = tag;
    calls[ncalls].count = info->count;
    calls[ncalls].value = info->value_int;
    ncalls++;
  }
  return results[tag];
}

static void reset_calls(void) {
  memset(calls, 0, sizeof calls);
  memset(results, 0, sizeof results);
  ncalls = 0;
}

START_TEST(test_order_and_results) {
  uint64_t a, b;
  struct sp_counter other;
  int lo = SIGUSR1 < SIGUSR2 ? SIGUSR1 : SIGUSR2;
  int hi = SIGUSR1 < SIGUSR2 ? SIGUSR2 : SIGUSR1;
  reset_calls();
  memset(&other, 0, sizeof other);
  results[2] = SIGPORT_EUSER - 2;
  results[3] = SIGPORT_EUSER - 3;
  SP_ASSERT_OK(sigport_signal(lo, tagged, (void *)(intptr_t)1, NULL));
  SP_ASSERT_OK(sigport_add_handler(lo, tagged, (void *)(intptr_t)2, 0, &a));
  SP_ASSERT_OK(sigport_add_handler(lo, tagged, (void *)(intptr_t)3, 0, &b));
  ck_assert(b > a);
  SP_ASSERT_OK(sigport_signal(hi, sp_count_handler, &other, NULL));
  /* Blocked, so that both are pending together. */
  {
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, lo);
    sigaddset(&set, hi);
    ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
    /* A standard signal: one pending delivery. */
    sp_queue_self(lo, 41);
    sp_queue_self(hi, 0);
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
  }
  /* Every handler of lo ran, primary first, with the same delivery; the
     first non-zero result is returned and hi stays pending. */
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER - 2);
  ck_assert_int_eq(ncalls, 3);
  ck_assert_int_eq(calls[0].tag, 1);
  ck_assert_int_eq(calls[1].tag, 2);
  ck_assert_int_eq(calls[2].tag, 3);
  ck_assert_uint_eq(calls[0].count, 1);
  ck_assert_uint_eq(calls[1].count, 1);
  ck_assert_uint_eq(calls[2].count, 1);
  ck_assert_int_eq(calls[0].value, 41);
  ck_assert_int_eq(calls[1].value, 41);
  ck_assert_int_eq(calls[2].value, 41);
  ck_assert_int_eq(other.calls, 0);
  ck_assert_int_ne(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(other.calls, 1);
  SP_ASSERT_OK(sigport_remove_handler(a));
  SP_ASSERT_OK(sigport_remove_handler(b));
}
END_TEST

START_TEST(test_oneshot_and_ids) {
  uint64_t id, id2, id3;
  reset_calls();
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, (void *)(intptr_t)1,
                                   SIGPORT_ADD_ONESHOT, &id));
  ck_assert_int_eq(raise(SIGUSR1), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(ncalls, 1);
  /* Gone, and the signal given back with it. */
  SP_ASSERT_FAILS(sigport_remove_handler(id), SIGPORT_EVALUE, "no handler");
  ck_assert(raw_get(SIGUSR1).sa_handler == SIG_DFL);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, (void *)(intptr_t)1, 0,
                                   &id2));
  ck_assert(id2 > id);
  SP_ASSERT_OK(sigport_remove_handler(id2));
  SP_ASSERT_FAILS(sigport_remove_handler(id2), SIGPORT_EVALUE, "no handler");
  SP_ASSERT_OK(sigport_add_handler(SIGUSR2, tagged, (void *)(intptr_t)1, 0,
                                   &id3));
  ck_assert(id3 > id2);
  SP_ASSERT_OK(sigport_remove_handler(id3));
}
END_TEST

START_TEST(test_if_default) {
  uint64_t id, id2;
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, NULL,
                                   SIGPORT_ADD_IF_DEFAULT, &id));
  SP_ASSERT_FAILS(sigport_add_handler(SIGUSR1, tagged, NULL,
                                      SIGPORT_ADD_IF_DEFAULT, &id2),
                  SIGPORT_EVALUE, "handled already");
  SP_ASSERT_OK(sigport_remove_handler(id));
  raw_set_handler(SIGUSR2, SIG_IGN);
  SP_ASSERT_FAILS(sigport_add_handler(SIGUSR2, tagged, NULL,
                                      SIGPORT_ADD_IF_DEFAULT, &id2),
                  SIGPORT_EVALUE, "signal");
  ck_assert(raw_get(SIGUSR2).sa_handler == SIG_IGN);
  raw_set_handler(SIGUSR2, SIG_DFL);
}
END_TEST

/* SIG_DFL from sigport_signal() only clears the primary handler while an
   added one holds the signal; the last one gone leaves that SIG_DFL. */
START_TEST(test_primary_cleared) {
  uint64_t id;
  struct sp_counter c;
  sigport_handler_t h;
  void (*trip)(int);
  reset_calls();
  memset(&c, 0, sizeof c);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  trip = raw_get(SIGUSR1).sa_handler;
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, (void *)(intptr_t)1, 0,
                                   &id));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
  ck_assert(raw_get(SIGUSR1).sa_handler == trip);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &h));
  ck_assert(h.fn == SIGPORT_SIG_DFL);
  ck_assert_int_eq(raise(SIGUSR1), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 0);
  ck_assert_int_eq(ncalls, 1);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR1).sa_handler == SIG_DFL);
}
END_TEST

struct off_main {
  uint64_t id;
  int add, remove;
  char add_msg[160], remove_msg[160];
};

static void *off_main(void *arg) {
  struct off_main *r = arg;
  uint64_t id;
  r->add = sigport_add_handler(SIGUSR2, tagged, NULL, 0, &id);
  snprintf(r->add_msg, sizeof r->add_msg, "%s", sigport_last_error());
  r->remove = sigport_remove_handler(r->id);
  snprintf(r->remove_msg, sizeof r->remove_msg, "%s", sigport_last_error());
  return NULL;
}

START_TEST(test_off_main_thread) {
  struct off_main r;
  pthread_t t;
  memset(&r, 0, sizeof r);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, NULL, 0, &r.id));
  ck_assert_int_eq(pthread_create(&t, NULL, off_main, &r), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(r.add, SIGPORT_EVALUE);
  ck_assert_int_eq(r.remove, SIGPORT_EVALUE);
  ck_assert_msg(strstr(r.add_msg, "main thread") != NULL, "%s", r.add_msg);
  ck_assert_msg(strstr(r.remove_msg, "main thread") != NULL, "%s",
                r.remove_msg);
  ck_assert(raw_get(SIGUSR2).sa_handler == SIG_DFL);
  /* Nothing changed: the handler is still there. */
  SP_ASSERT_OK(sigport_remove_handler(r.id));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Chaining.                                                          */
/* ------------------------------------------------------------------ */

static atomic_int chained_calls, chained_bad, chained_last_value;
static volatile sig_atomic_t chained_plain_signo;

static void chained_siginfo(int signum, siginfo_t *si, void *context) {
  int n = atomic_fetch_add(&chained_calls, 1);
  /* Every delivery, in order, with its own siginfo and a context. */
  if (si == NULL || context == NULL || si->si_signo != signum ||
      si->si_code != SI_QUEUE || si->si_pid != getpid() ||
      si->si_value.sival_int != n)
    atomic_fetch_add(&chained_bad, 1);
  atomic_store(&chained_last_value, si != NULL ? si->si_value.sival_int : -1);
}

static void chained_plain(int signum) {
  chained_plain_signo = signum;
  atomic_fetch_add(&chained_calls, 1);
  /* A careless action: the interrupted code must not see it. */
  errno = EIO;
}

/* Without the fixture: the raw handler is there before sigport_init(). */
START_TEST(test_chain_siginfo) {
  struct sp_counter c;
  struct sigaction after;
  uint64_t id;
  int i, n = sp_test_relaxed_counts() ? 20 : 200;
  atomic_store(&chained_calls, 0);
  atomic_store(&chained_bad, 0);
  memset(&c, 0, sizeof c);
  raw_set_siginfo(SIGUSR1, chained_siginfo);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  ck_assert((raw_get(SIGUSR1).sa_flags & SA_SIGINFO) &&
            raw_get(SIGUSR1).sa_sigaction != chained_siginfo);
  for (i = 0; i < n; i++) {
    sp_queue_self(SIGUSR1, i);
    /* Each delivery is its own: dispatched before the next. */
    SP_ASSERT_OK(sigport_dispatch());
  }
  ck_assert_int_eq(atomic_load(&chained_bad), 0);
  if (!sp_test_relaxed_counts()) {
    ck_assert_int_eq(atomic_load(&chained_calls), n);
    ck_assert_uint_eq(c.total, (unsigned long)n);
    ck_assert_int_eq(c.last.value_int, n - 1);
  } else {
    ck_assert_int_ge(atomic_load(&chained_calls), 1);
  }
  /* The last handler gone: the original action is back, whole. */
  SP_ASSERT_OK(sigport_remove_handler(id));
  after = raw_get(SIGUSR1);
  ck_assert(after.sa_flags & SA_SIGINFO);
  ck_assert(after.sa_sigaction == chained_siginfo);
  sigport_shutdown();
  raw_set_handler(SIGUSR1, SIG_DFL);
}
END_TEST

START_TEST(test_chain_plain_handler) {
  uint64_t id;
  struct sp_counter c;
  memset(&c, 0, sizeof c);
  atomic_store(&chained_calls, 0);
  chained_plain_signo = 0;
  raw_set_handler(SIGUSR2, chained_plain);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR2, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  errno = EDOM;
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_msg(errno == EDOM, "errno %d (%s) after the chained action",
                errno, strerror(errno));
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(atomic_load(&chained_calls), 1);
  ck_assert_int_eq(chained_plain_signo, SIGUSR2);
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR2).sa_handler == chained_plain);
  raw_set_handler(SIGUSR2, SIG_DFL);
}
END_TEST

/* Without ADD_CHAIN, the saved handler is not called. */
START_TEST(test_no_chain_without_flag) {
  uint64_t id;
  struct sp_counter c;
  memset(&c, 0, sizeof c);
  atomic_store(&chained_calls, 0);
  raw_set_handler(SIGUSR2, chained_plain);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR2, sp_count_handler, &c, 0, &id));
  ck_assert_int_eq(raise(SIGUSR2), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(atomic_load(&chained_calls), 0);
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_remove_handler(id));
  raw_set_handler(SIGUSR2, SIG_DFL);
}
END_TEST

/* SIG_IGN before: nothing is chained, the sigport handler runs, and the
   SIG_IGN comes back. (SIG_DFL before: see the fault test below.) */
START_TEST(test_chain_ignored) {
  uint64_t id;
  struct sp_counter c;
  memset(&c, 0, sizeof c);
  raw_set_handler(SIGUSR1, SIG_IGN);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  ck_assert_int_eq(raise(SIGUSR1), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR1).sa_handler == SIG_IGN);
  raw_set_handler(SIGUSR1, SIG_DFL);
}
END_TEST

/* SIG_DFL before: raised, the signal is sigport's (the process lives);
   given back, it is SIG_DFL again. */
START_TEST(test_chain_default) {
  uint64_t id;
  struct sp_counter c;
  memset(&c, 0, sizeof c);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  ck_assert_int_eq(raise(SIGUSR1), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 1);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR1).sa_handler == SIG_DFL);
}
END_TEST

/* Someone replaced sigport's trip: removing the last handler leaves
   theirs. */
static void theirs(int s) { (void)s; }
START_TEST(test_replaced_left_alone) {
  uint64_t id;
  SP_ASSERT_OK(sigport_add_handler(SIGUSR1, tagged, NULL, 0, &id));
  raw_set_handler(SIGUSR1, theirs);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR1).sa_handler == theirs);
  raw_set_handler(SIGUSR1, SIG_DFL);
}
END_TEST

/* A chained action that takes the signal away is reported once. */
static atomic_int theirs_calls;
static void theirs_counting(int s) {
  (void)s;
  atomic_fetch_add(&theirs_calls, 1);
}
static void chained_takes_over(int signum, siginfo_t *si, void *context) {
  struct sigaction sa;
  (void)si;
  (void)context;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = theirs_counting;
  sigaction(signum, &sa, NULL);
}

/* Runs dispatch with stderr going to a file; what it wrote, in buf. */
static int dispatch_capturing(char *buf, size_t size) {
  FILE *tmp = tmpfile();
  int saved, rc;
  size_t n;
  ck_assert_ptr_nonnull(tmp);
  fflush(stderr);
  saved = dup(2);
  ck_assert_int_ge(saved, 0);
  ck_assert_int_eq(dup2(fileno(tmp), 2), 2);
  rc = sigport_dispatch();
  fflush(stderr);
  ck_assert_int_eq(dup2(saved, 2), 2);
  close(saved);
  rewind(tmp);
  n = fread(buf, 1, size - 1, tmp);
  buf[n] = '\0';
  fclose(tmp);
  return rc;
}

START_TEST(test_chain_changed_disposition) {
  uint64_t id;
  struct sp_counter c;
  char out[512];
  const char *line;
  memset(&c, 0, sizeof c);
  atomic_store(&theirs_calls, 0);
  raw_set_siginfo(SIGUSR2, chained_takes_over);
  SP_ASSERT_OK(sigport_add_handler(SIGUSR2, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  ck_assert_int_eq(raise(SIGUSR2), 0);
  SP_ASSERT_OK(dispatch_capturing(out, sizeof out));
  ck_assert_int_eq(c.calls, 1);
  line = strstr(out, "sigport: the action chained for SIGUSR2 changed its "
                     "disposition");
  ck_assert_msg(line != NULL, "stderr: '%s'", out);
  ck_assert_ptr_null(strstr(line + 1, "sigport:"));
  /* sigport does not fight: theirs gets the next one. */
  ck_assert(raw_get(SIGUSR2).sa_handler == theirs_counting);
  ck_assert_int_eq(raise(SIGUSR2), 0);
  ck_assert_int_eq(atomic_load(&theirs_calls), 1);
  SP_ASSERT_OK(dispatch_capturing(out, sizeof out));
  ck_assert_msg(out[0] == '\0', "reported again: '%s'", out);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGUSR2).sa_handler == theirs_counting);
  raw_set_handler(SIGUSR2, SIG_DFL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Real faults.                                                       */
/* ------------------------------------------------------------------ */

static char *guard;
static size_t page;
static atomic_int fault_calls, fault_bad;
static int fault_then_default;

static void on_fault(int signum, siginfo_t *si, void *context) {
  (void)context;
  atomic_fetch_add(&fault_calls, 1);
  if (signum != SIGSEGV || si == NULL || si->si_code == SI_USER ||
      (char *)si->si_addr < guard || (char *)si->si_addr >= guard + page)
    atomic_fetch_add(&fault_bad, 1);
  if (fault_then_default) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    sigemptyset(&dfl.sa_mask);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGSEGV, &dfl, NULL);
    return;
  }
  /* A guard page: fixed, and the instruction runs again. */
  if (mprotect(guard, page, PROT_READ | PROT_WRITE) != 0)
    atomic_fetch_add(&fault_bad, 1);
}

/* A page that faults when written: PROT_NONE, or PROT_READ for a fault
   nothing fixes (a write to a read-only page, which valgrind's memcheck
   lets through to the kernel without reporting an invalid write, as in
   test_fault_ends_process of test_core.c). */
static void make_guard(int prot) {
  page = (size_t)sysconf(_SC_PAGESIZE);
  guard = mmap(NULL, page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert(guard != MAP_FAILED);
}

START_TEST(test_fault_fixed) {
  uint64_t id;
  struct sp_counter c;
  /* valgrind (3.19) does not run the faulting instruction again when a
     SIGSEGV handler that fixed the page returns: the write is lost, and
     the registers after it are wrong (the next access faults at 0). */
  if (sp_test_under_valgrind()) {
    printf("SKIPPED under valgrind: test_fault_fixed: valgrind does not "
           "run a faulting write again after its handler returns\n");
    fflush(stdout);
    return;
  }
  memset(&c, 0, sizeof c);
  atomic_store(&fault_calls, 0);
  atomic_store(&fault_bad, 0);
  fault_then_default = 0;
  make_guard(PROT_NONE);
  raw_set_siginfo(SIGSEGV, on_fault);
  SP_ASSERT_OK(sigport_add_handler(SIGSEGV, sp_count_handler, &c,
                                   SIGPORT_ADD_CHAIN, &id));
  ((volatile char *)guard)[10] = 1;
  ck_assert_int_eq(atomic_load(&fault_calls), 1);
  ck_assert_int_eq(((volatile char *)guard)[10], 1);
  ck_assert_int_eq(mprotect(guard, page, PROT_NONE), 0);
  ((volatile char *)guard)[20] = 2;
  ck_assert_int_eq(atomic_load(&fault_calls), 2);
  ck_assert_int_eq(atomic_load(&fault_bad), 0);
  /* A fault is the chained action's, not a delivery for dispatch. */
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(c.calls, 0);
  SP_ASSERT_OK(sigport_remove_handler(id));
  ck_assert(raw_get(SIGSEGV).sa_sigaction == on_fault);
  raw_set_handler(SIGSEGV, SIG_DFL);
  munmap(guard, page);
}
END_TEST

/* In a child: the fault with the chain set up as `mode` says; the child's
   status. */
static int fault_child(int mode) {
  pid_t pid = fork();
  int status;
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    uint64_t id;
    (void)setrlimit(RLIMIT_CORE, &no_core);
    make_guard(PROT_READ);
    if (mode == 1) {
      fault_then_default = 1;
      raw_set_siginfo(SIGSEGV, on_fault);
    } else {
      /* A sanitizer's runtime has a SIGSEGV handler of its own. */
      raw_set_handler(SIGSEGV, SIG_DFL);
    }
    if (sigport_add_handler(SIGSEGV, sp_count_handler, NULL,
                            SIGPORT_ADD_CHAIN, &id) != 0)
      _exit(3);
    ((volatile char *)guard)[0] = 1;
    _exit(mode == 1 && atomic_load(&fault_calls) == 1 ? 4 : 5);
  }
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  return status;
}

/* The chained action sets SIG_DFL and returns: the fault ends the
   process. */
START_TEST(test_fault_chain_then_default) {
  int status = fault_child(1);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
                "child status 0x%x", status);
}
END_TEST

/* SIG_DFL before: nothing to chain to, the default action ends it. */
START_TEST(test_fault_nothing_to_chain) {
  int status = fault_child(0);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
                "child status 0x%x", status);
}
END_TEST

Suite *sp_suite_chain(void) {
  Suite *s = suite_create("chain");
  TCase *tc = tcase_create("handlers");
  TCase *bare = tcase_create("before-init");
  TCase *ch = tcase_create("chain");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_order_and_results);
  tcase_add_test(tc, test_oneshot_and_ids);
  tcase_add_test(tc, test_if_default);
  tcase_add_test(tc, test_primary_cleared);
  sp_tcase_add_thread_test(tc, test_off_main_thread);
  suite_add_tcase(s, tc);
  tcase_add_test(bare, test_chain_siginfo);
  suite_add_tcase(s, bare);
  tcase_add_checked_fixture(ch, setup, teardown);
  tcase_add_test(ch, test_chain_plain_handler);
  tcase_add_test(ch, test_no_chain_without_flag);
  tcase_add_test(ch, test_chain_ignored);
  tcase_add_test(ch, test_chain_default);
  tcase_add_test(ch, test_replaced_left_alone);
  tcase_add_test(ch, test_chain_changed_disposition);
  tcase_add_test(ch, test_fault_fixed);
  tcase_add_test(ch, test_fault_chain_then_default);
  tcase_add_test(ch, test_fault_nothing_to_chain);
  suite_add_tcase(s, ch);
  return s;
}
