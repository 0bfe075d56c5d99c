/*
 * test_handlers.c: sigport_signal() and sigport_getsignal(), giving a
 * signal back, the start-up defaults, shutdown, and bad input. States are
 * checked through the raw sigaction(), not through sigport's getters.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static void foreign_handler(int signum) { (void)signum; }

/* Installs a plain handler with the raw sigaction(). */
static void raw_install(int signum, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(signum, &sa, NULL), 0);
}

static void (*raw_handler_of(int signum))(int) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

static int is_siginfo_handler(int signum) {
  struct sigaction sa;
  ck_assert_int_eq(sigaction(signum, NULL, &sa), 0);
  return (sa.sa_flags & SA_SIGINFO) != 0;
}

/* Linux's SA_RESTORER, which the C library adds to every sigaction() it
   makes, whoever calls it. */
#define SP_SA_RESTORER 0x04000000

/* Every disposition of the process, read raw. */
struct snapshot {
  struct sigaction sa[SIGPORT_NSIG];
  int ok[SIGPORT_NSIG];
};

static void take_snapshot(struct snapshot *s) {
  int n;
  for (n = 1; n < SIGPORT_NSIG; n++) s->ok[n] = sigaction(n, NULL, &s->sa[n]) == 0;
}

static void assert_same_snapshot(const struct snapshot *a,
                                 const struct snapshot *b) {
  int n;
  for (n = 1; n < SIGPORT_NSIG; n++) {
    ck_assert_int_eq(a->ok[n], b->ok[n]);
    if (!a->ok[n]) continue;
    ck_assert_msg(a->sa[n].sa_handler == b->sa[n].sa_handler,
                  "signal %d: handler changed", n);
    ck_assert_msg((a->sa[n].sa_flags & ~SP_SA_RESTORER) ==
                      (b->sa[n].sa_flags & ~SP_SA_RESTORER),
                  "signal %d: flags 0x%x became 0x%x", n, a->sa[n].sa_flags,
                  b->sa[n].sa_flags);
  }
}

START_TEST(test_signal_and_getsignal) {
  struct sp_counter c = {0};
  sigport_handler_t prev, cur;
  raw_install(SIGUSR1, SIG_DFL);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_DFL);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, &prev));
  ck_assert(prev.fn == SIGPORT_SIG_DFL);
  ck_assert(is_siginfo_handler(SIGUSR1));
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == sp_count_handler);
  ck_assert_ptr_eq(cur.arg, &c);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_IGN, NULL, &prev));
  ck_assert(prev.fn == sp_count_handler);
  ck_assert_ptr_eq(prev.arg, &c);
  ck_assert(raw_handler_of(SIGUSR1) == SIG_IGN);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_IGN);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_DFL, NULL, NULL));
  ck_assert(raw_handler_of(SIGUSR1) == SIG_DFL);
  sigport_shutdown();
}
END_TEST

/* A handler stays until it is replaced (BSD semantics). */
START_TEST(test_handler_stays) {
  struct sp_counter c = {0};
  int i;
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &c, NULL));
  for (i = 0; i < 3; i++) ck_assert_int_eq(sigport_raise(SIGUSR2), 0);
  ck_assert_int_eq(c.calls, 3);
  ck_assert(is_siginfo_handler(SIGUSR2));
  sigport_shutdown();
}
END_TEST

START_TEST(test_external_and_give_back) {
  struct sp_counter c = {0};
  sigport_handler_t cur, prev;
  raw_install(SIGUSR1, foreign_handler);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_EXTERNAL);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, &prev));
  ck_assert(prev.fn == SIGPORT_SIG_EXTERNAL);
  ck_assert(is_siginfo_handler(SIGUSR1));
  /* Giving it back puts the foreign handler back. */
  SP_ASSERT_OK(sigport_signal(SIGUSR1, SIGPORT_SIG_EXTERNAL, NULL, &prev));
  ck_assert(prev.fn == sp_count_handler);
  ck_assert(raw_handler_of(SIGUSR1) == foreign_handler);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_EXTERNAL);
  /* Shutdown leaves it alone. */
  sigport_shutdown();
  ck_assert(raw_handler_of(SIGUSR1) == foreign_handler);
  raw_install(SIGUSR1, SIG_DFL);
}
END_TEST

START_TEST(test_give_back_untouched_is_noop) {
  ck_assert_int_eq(sigport_init(0), 0);
  raw_install(SIGUSR2, foreign_handler);
  SP_ASSERT_OK(sigport_signal(SIGUSR2, SIGPORT_SIG_EXTERNAL, NULL, NULL));
  ck_assert(raw_handler_of(SIGUSR2) == foreign_handler);
  sigport_shutdown();
  raw_install(SIGUSR2, SIG_DFL);
}
END_TEST

/* getsignal reads the system: a handler set behind sigport's back shows
   as external, and shutdown does not clobber it. */
START_TEST(test_overwritten_behind_our_back) {
  struct sp_counter c = {0};
  sigport_handler_t cur;
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &c, NULL));
  raw_install(SIGHUP, foreign_handler);
  SP_ASSERT_OK(sigport_getsignal(SIGHUP, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_EXTERNAL);
  sigport_shutdown();
  ck_assert(raw_handler_of(SIGHUP) == foreign_handler);
  raw_install(SIGHUP, SIG_DFL);
}
END_TEST

START_TEST(test_shutdown_restores_everything) {
  struct snapshot before, after;
  struct sp_counter c = {0};
  raw_install(SIGUSR2, foreign_handler);
  raw_install(SIGHUP, SIG_IGN);
  take_snapshot(&before);
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_DEFAULTS), 0);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_signal(SIGUSR2, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_signal(SIGHUP, sp_count_handler, &c, NULL));
  SP_ASSERT_OK(sigport_signal(SIGTERM, SIGPORT_SIG_IGN, NULL, NULL));
  SP_ASSERT_OK(sigport_signal(SIGRTMIN, sp_count_handler, &c, NULL));
  sigport_shutdown();
  take_snapshot(&after);
  assert_same_snapshot(&before, &after);
  raw_install(SIGUSR2, SIG_DFL);
  raw_install(SIGHUP, SIG_DFL);
}
END_TEST

START_TEST(test_init_defaults) {
  sigport_handler_t cur;
  raw_install(SIGINT, SIG_DFL);
  raw_install(SIGPIPE, SIG_DFL);
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_DEFAULTS), 0);
  ck_assert(raw_handler_of(SIGPIPE) == SIG_IGN);
  ck_assert(raw_handler_of(SIGXFSZ) == SIG_IGN);
  SP_ASSERT_OK(sigport_getsignal(SIGINT, &cur));
  ck_assert(cur.fn == sigport_default_int_handler);
  ck_assert_int_eq(sigport_raise(SIGINT), SIGPORT_EKEYBOARDINTERRUPT);
  sigport_shutdown();
  ck_assert(raw_handler_of(SIGPIPE) == SIG_DFL);
  ck_assert(raw_handler_of(SIGINT) == SIG_DFL);
}
END_TEST

/* SIGINT ignored before init (a background job) stays ignored. */
START_TEST(test_init_defaults_keeps_ignored_sigint) {
  raw_install(SIGINT, SIG_IGN);
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_DEFAULTS), 0);
  ck_assert(raw_handler_of(SIGINT) == SIG_IGN);
  sigport_shutdown();
  ck_assert(raw_handler_of(SIGINT) == SIG_IGN);
  raw_install(SIGINT, SIG_DFL);
}
END_TEST

START_TEST(test_init_counted) {
  struct sp_counter c = {0};
  ck_assert_int_eq(sigport_init(0), 0);
  ck_assert_int_eq(sigport_init(SIGPORT_INIT_DEFAULTS), 0);
  /* The second call's flags are ignored. */
  ck_assert(raw_handler_of(SIGPIPE) == SIG_DFL);
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  sigport_shutdown();
  ck_assert(is_siginfo_handler(SIGUSR1));
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL));
  sigport_shutdown();
  ck_assert(raw_handler_of(SIGUSR1) == SIG_DFL);
  SP_ASSERT_FAILS(sigport_signal(SIGUSR1, sp_count_handler, &c, NULL),
                  SIGPORT_EVALUE, "not initialised");
}
END_TEST

/* A delivery recorded but never dispatched is raised again by shutdown
   under the restored disposition: SIGTERM is not swallowed. */
START_TEST(test_shutdown_raises_undispatched) {
  int status;
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    struct sp_counter c = {0};
    /* Check's own SIGTERM handler is inherited; start from the default. */
    raw_install(SIGTERM, SIG_DFL);
    sigport_init(0);
    sigport_signal(SIGTERM, sp_count_handler, &c, NULL);
    kill(getpid(), SIGTERM);
    sigport_shutdown();
    _exit(c.calls == 0 ? 5 : 6);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
                "status 0x%x", status);
}
END_TEST

/* Shutdown never runs a handler, and a dispatched delivery is not raised
   again. */
START_TEST(test_shutdown_after_dispatch_raises_nothing) {
  int status;
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    struct sp_counter c = {0};
    sigport_init(0);
    sigport_signal(SIGTERM, sp_count_handler, &c, NULL);
    kill(getpid(), SIGTERM);
    sigport_dispatch();
    sigport_shutdown();
    _exit(c.calls == 1 ? 7 : 8);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 7, "status 0x%x",
                status);
}
END_TEST

START_TEST(test_signal_dispatches_old_handler_first) {
  struct sp_counter old_c = {0}, new_c = {0};
  ck_assert_int_eq(sigport_init(0), 0);
  old_c.result = SIGPORT_EUSER - 3;
  SP_ASSERT_OK(sigport_signal(SIGUSR1, sp_count_handler, &old_c, NULL));
  kill(getpid(), SIGUSR1);
  /* The pending delivery goes to the old handler; its result comes back
     after the swap was made. */
  ck_assert_int_eq(sigport_signal(SIGUSR1, sp_count_handler, &new_c, NULL),
                   SIGPORT_EUSER - 3);
  ck_assert_int_eq(old_c.calls, 1);
  ck_assert_int_eq(new_c.calls, 0);
  ck_assert_int_eq(sigport_raise(SIGUSR1), 0);
  ck_assert_int_eq(new_c.calls, 1);
  sigport_shutdown();
}
END_TEST

START_TEST(test_bad_signal_numbers) {
  struct snapshot before, after;
  struct sp_counter c = {0};
  sigport_handler_t cur;
  char expect[64];
  int bad[] = {0, -1, SIGPORT_NSIG, 1000, -2147483647 - 1};
  size_t i;
  ck_assert_int_eq(sigport_init(0), 0);
  take_snapshot(&before);
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(expect, sizeof expect, "signal number %d out of range [1; %d]",
             bad[i], SIGPORT_NSIG - 1);
    SP_ASSERT_FAILS(sigport_signal(bad[i], sp_count_handler, &c, NULL),
                    SIGPORT_EVALUE, expect);
    SP_ASSERT_FAILS(sigport_getsignal(bad[i], &cur), SIGPORT_EVALUE, expect);
    SP_ASSERT_FAILS(sigport_raise(bad[i]), SIGPORT_EVALUE, expect);
  }
  SP_ASSERT_FAILS(sigport_signal(SIGKILL, sp_count_handler, &c, NULL),
                  SIGPORT_EOS, "signal 9 (SIGKILL) cannot be caught");
  ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  SP_ASSERT_FAILS(sigport_signal(SIGSTOP, SIGPORT_SIG_IGN, NULL, NULL),
                  SIGPORT_EOS, "SIGSTOP");
  ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  /* The C library's reserved real-time signals. */
  if (SIGRTMIN > 32) {
    SP_ASSERT_FAILS(sigport_signal(32, sp_count_handler, &c, NULL),
                    SIGPORT_EOS, "signal 32 is reserved");
    ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  }
  SP_ASSERT_FAILS(sigport_getsignal(SIGUSR1, NULL), SIGPORT_EVALUE,
                  "current must not be NULL");
  SP_ASSERT_FAILS(sigport_kill(getpid(), -3), SIGPORT_EVALUE,
                  "signal number -3 out of range [0;");
  take_snapshot(&after);
  assert_same_snapshot(&before, &after);
  ck_assert_int_eq(c.calls, 0);
  sigport_shutdown();
}
END_TEST

START_TEST(test_getsignal_without_init) {
  sigport_handler_t cur;
  raw_install(SIGUSR1, SIG_IGN);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_IGN);
  raw_install(SIGUSR1, SIG_DFL);
  SP_ASSERT_OK(sigport_getsignal(SIGUSR1, &cur));
  ck_assert(cur.fn == SIGPORT_SIG_DFL);
}
END_TEST

START_TEST(test_default_int_handler) {
  sigport_siginfo_t info;
  memset(&info, 0, sizeof info);
  ck_assert_int_eq(sigport_default_int_handler(SIGINT, &info, NULL),
                   SIGPORT_EKEYBOARDINTERRUPT);
}
END_TEST

/* A fork() child about to exec: sigport's dispositions become SIG_DFL, a
   signal ignored before sigport took it stays ignored, every signal is
   unblocked. Checked by a real shell after exec. */
static int run_after_restore(const char *script, int ignore_hup_before) {
  int status;
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    struct sp_counter c = {0};
    sigset_t all;
    if (ignore_hup_before) raw_install(SIGHUP, SIG_IGN);
    sigport_init(SIGPORT_INIT_DEFAULTS);
    sigport_signal(SIGUSR1, sp_count_handler, &c, NULL);
    sigport_signal(SIGHUP, sp_count_handler, &c, NULL);
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    sigport_restore_for_exec();
    execl("/bin/sh", "sh", "-c", script, (char *)NULL);
    _exit(127);
  }
  ck_assert_int_eq(waitpid(child, &status, 0), child);
  return status;
}

START_TEST(test_restore_for_exec) {
  int status = run_after_restore("kill -USR1 $$; exit 3", 0);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1,
                "status 0x%x", status);
  /* SIGPIPE, ignored by sigport's defaults, is back to SIG_DFL. */
  status = run_after_restore("kill -PIPE $$; exit 3", 0);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
                "status 0x%x", status);
  status = run_after_restore("kill -HUP $$; exit 4", 1);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 4, "status 0x%x",
                status);
}
END_TEST

Suite *sp_suite_handlers(void) {
  Suite *s = suite_create("handlers");
  TCase *tc = tcase_create("handlers");
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, test_signal_and_getsignal);
  tcase_add_test(tc, test_handler_stays);
  tcase_add_test(tc, test_external_and_give_back);
  tcase_add_test(tc, test_give_back_untouched_is_noop);
  tcase_add_test(tc, test_overwritten_behind_our_back);
  tcase_add_test(tc, test_shutdown_restores_everything);
  tcase_add_test(tc, test_init_defaults);
  tcase_add_test(tc, test_init_defaults_keeps_ignored_sigint);
  tcase_add_test(tc, test_init_counted);
  tcase_add_test(tc, test_shutdown_raises_undispatched);
  tcase_add_test(tc, test_shutdown_after_dispatch_raises_nothing);
  tcase_add_test(tc, test_signal_dispatches_old_handler_first);
  tcase_add_test(tc, test_bad_signal_numbers);
  tcase_add_test(tc, test_getsignal_without_init);
  tcase_add_test(tc, test_default_int_handler);
  tcase_add_test(tc, test_restore_for_exec);
  suite_add_tcase(s, tc);
  return s;
}
