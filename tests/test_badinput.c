/*
 * test_badinput.c: every public function called with bad input, from a
 * table. Each call must fail with its exact code, with a message that
 * names the bad value, and must change nothing: dispositions, the signal
 * mask and the timers are read before and after through the raw system
 * calls, not through sigport.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

#include "helpers.h"

/* The raw state of the process. */
struct snapshot {
  struct sigaction sa[SIGPORT_NSIG];
  int sa_ok[SIGPORT_NSIG];
  sigset_t mask;
  struct itimerval timers[3];
  sigport_socket_t wakeup_fd;
};

static void take(struct snapshot *s) {
  int n;
  memset(s, 0, sizeof *s);
  for (n = 1; n < SIGPORT_NSIG; n++)
    s->sa_ok[n] = sigaction(n, NULL, &s->sa[n]) == 0;
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &s->mask), 0);
  ck_assert_int_eq(getitimer(ITIMER_REAL, &s->timers[0]), 0);
  ck_assert_int_eq(getitimer(ITIMER_VIRTUAL, &s->timers[1]), 0);
  ck_assert_int_eq(getitimer(ITIMER_PROF, &s->timers[2]), 0);
  s->wakeup_fd = sigport_get_wakeup_fd();
}

static void assert_unchanged(const struct snapshot *a, const struct snapshot *b,
                             const char *what) {
  int n;
  for (n = 1; n < SIGPORT_NSIG; n++) {
    ck_assert_msg(a->sa_ok[n] == b->sa_ok[n], "%s: signal %d", what, n);
    if (!a->sa_ok[n]) continue;
    ck_assert_msg(a->sa[n].sa_handler == b->sa[n].sa_handler,
                  "%s changed the disposition of signal %d", what, n);
  }
  for (n = 1; n < SIGPORT_NSIG; n++)
    ck_assert_msg(sigismember(&a->mask, n) == sigismember(&b->mask, n),
                  "%s changed the mask for signal %d", what, n);
  for (n = 0; n < 3; n++) {
    /* A running timer counts down; armed or not, and its interval, must
       not change. */
    int armed_a = a->timers[n].it_value.tv_sec != 0 ||
                  a->timers[n].it_value.tv_usec != 0;
    int armed_b = b->timers[n].it_value.tv_sec != 0 ||
                  b->timers[n].it_value.tv_usec != 0;
    ck_assert_msg(armed_a == armed_b, "%s armed or disarmed timer %d", what, n);
    ck_assert_msg(a->timers[n].it_interval.tv_sec ==
                          b->timers[n].it_interval.tv_sec &&
                      a->timers[n].it_interval.tv_usec ==
                          b->timers[n].it_interval.tv_usec,
                  "%s changed the interval of timer %d", what, n);
  }
  ck_assert_msg(a->wakeup_fd == b->wakeup_fd, "%s changed the wakeup fd", what);
}

/* Fixtures the calls use. */
static sigport_sigset_t some_set, empty_set;
static int blocking_fd = -1, closed_fd = -1, sock_pair[2] = {-1, -1};
static int handler(int s, const sigport_siginfo_t *i, void *a) {
  (void)s;
  (void)i;
  (void)a;
  return 0;
}

struct bad_call {
  const char *what;
  int (*call)(void);
  int code;
  const char *needle; /* NULL: the message is formatted from `value` */
};

#define CALL(name, expr) \
  static int name(void) { return (expr); }

static sigport_handler_t h_out;
static const char *desc_out;
static sigport_itimerval_t tv_out;
static int signum_out;
static sigport_siginfo_t info_out;
static char siginfo_blob[128];

CALL(init_flags, sigport_init(0x80))
CALL(signal_0, sigport_signal(0, handler, NULL, NULL))
CALL(signal_neg, sigport_signal(-1, handler, NULL, NULL))
CALL(signal_nsig, sigport_signal(SIGPORT_NSIG, handler, NULL, NULL))
CALL(signal_huge, sigport_signal(INT_MAX, handler, NULL, NULL))
CALL(signal_min, sigport_signal(INT_MIN, SIGPORT_SIG_IGN, NULL, NULL))
CALL(signal_kill, sigport_signal(SIGKILL, handler, NULL, NULL))
CALL(signal_stop, sigport_signal(SIGSTOP, SIGPORT_SIG_IGN, NULL, NULL))
CALL(signal_reserved, sigport_signal(SIGRTMIN - 1, handler, NULL, NULL))
CALL(getsignal_range, sigport_getsignal(SIGPORT_NSIG, &h_out))
CALL(getsignal_null, sigport_getsignal(SIGUSR1, NULL))
CALL(strsignal_0, sigport_strsignal(0, &desc_out))
CALL(strsignal_null, sigport_strsignal(SIGINT, NULL))
CALL(signum_null, sigport_signum(NULL))
CALL(signum_unknown, sigport_signum("SIGNOPE"))
CALL(signum_number, sigport_signum("999"))
CALL(addset_null, sigport_sigaddset(NULL, SIGINT))
CALL(addset_0, sigport_sigaddset(&some_set, 0))
CALL(addset_nsig, sigport_sigaddset(&some_set, SIGPORT_NSIG))
CALL(delset_neg, sigport_sigdelset(&some_set, -7))
CALL(ismember_big, sigport_sigismember(&some_set, 4096))
CALL(next_neg, sigport_sigset_next(&some_set, -2))
CALL(valid_null, sigport_valid_signals(NULL))
CALL(fill_null, sigport_sigfillset(NULL))
CALL(empty_null, sigport_sigemptyset(NULL))
CALL(wakeup_neg, sigport_set_wakeup_fd(-5, 0, NULL))
CALL(wakeup_closed, sigport_set_wakeup_fd(closed_fd, 0, NULL))
CALL(wakeup_blocking, sigport_set_wakeup_fd(blocking_fd, 0, NULL))
CALL(wakeup_flags, sigport_set_wakeup_fd(sock_pair[1], 0x40, NULL))
CALL(socketpair_null, sigport_socketpair(NULL))
CALL(alarm_huge, sigport_alarm(UINT_MAX))
CALL(setitimer_which, sigport_setitimer(99, 1.0, 0.0, NULL))
CALL(setitimer_neg, sigport_setitimer(SIGPORT_ITIMER_REAL, -1.5, 0.0, NULL))
CALL(setitimer_neg_interval,
     sigport_setitimer(SIGPORT_ITIMER_REAL, 1.0, -2.5, NULL))
CALL(setitimer_nan, sigport_setitimer(SIGPORT_ITIMER_REAL, NAN, 0.0, NULL))
CALL(setitimer_inf,
     sigport_setitimer(SIGPORT_ITIMER_VIRTUAL, INFINITY, 0.0, NULL))
CALL(setitimer_huge, sigport_setitimer(SIGPORT_ITIMER_PROF, 1e300, 0.0, NULL))
CALL(getitimer_which, sigport_getitimer(-1, &tv_out))
CALL(getitimer_null, sigport_getitimer(SIGPORT_ITIMER_REAL, NULL))
CALL(sigmask_how, sigport_pthread_sigmask(77, &some_set, NULL))
CALL(sigmask_null, sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, NULL, NULL))
CALL(sigpending_null, sigport_sigpending(NULL))
CALL(sigwait_null, sigport_sigwait(NULL, &signum_out))
CALL(sigwait_empty, sigport_sigwait(&empty_set, &signum_out))
CALL(sigwait_out_null, sigport_sigwait(&some_set, NULL))
CALL(sigwaitinfo_empty, sigport_sigwaitinfo(&empty_set, &info_out))
CALL(sigtimedwait_neg, sigport_sigtimedwait(&some_set, -0.5, &info_out))
CALL(sigtimedwait_nan, sigport_sigtimedwait(&some_set, NAN, &info_out))
CALL(sigtimedwait_inf, sigport_sigtimedwait(&some_set, INFINITY, &info_out))
CALL(raise_0, sigport_raise(0))
CALL(raise_nsig, sigport_raise(SIGPORT_NSIG))
CALL(kill_neg, sigport_kill(getpid(), -1))
CALL(kill_nsig, sigport_kill(getpid(), SIGPORT_NSIG + 5))
CALL(pthread_kill_range, sigport_pthread_kill(pthread_self(), 1000))
CALL(pidfd_range, sigport_pidfd_send_signal(0, -4, NULL, 0))
CALL(pidfd_info, sigport_pidfd_send_signal(0, SIGTERM, siginfo_blob, 0))
CALL(pidfd_closed, sigport_pidfd_send_signal(closed_fd, SIGTERM, NULL, 0))
CALL(siginterrupt_range, sigport_siginterrupt(0, 1))
CALL(siginterrupt_nsig, sigport_siginterrupt(SIGPORT_NSIG, 0))

/* Watches and added handlers. A set that also holds SIGUSR1 shows that a
   failed open installs nothing for the good members. */
static sigport_sigset_t kill_set, stop_set, reserved_set, zero_set;
static sigport_watch_t *watch_out, *open_watch;
static uint64_t id_out;
CALL(watch_set_null, sigport_watch_open(NULL, 0, &watch_out))
static int child_cb(const sigport_child_status_t *st, void *arg) {
  (void)st;
  (void)arg;
  return 0;
}
CALL(child_fn_null, sigport_watch_child(getppid(), NULL, NULL))
CALL(child_pid_0, sigport_watch_child(0, child_cb, NULL))
CALL(child_pid_neg, sigport_watch_child(-3, child_cb, NULL))
CALL(child_not_child, sigport_watch_child(getpid(), child_cb, NULL))
CALL(unwatch_unknown, sigport_unwatch_child(getpid()))
CALL(unwatch_pid_0, sigport_unwatch_child(0))
CALL(unwatch_any, sigport_unwatch_child(SIGPORT_CHILD_ANY))
CALL(watch_w_null, sigport_watch_open(&some_set, 0, NULL))
CALL(watch_empty, sigport_watch_open(&empty_set, 0, &watch_out))
CALL(watch_flags, sigport_watch_open(&some_set, 0x10, &watch_out))
CALL(watch_kill, sigport_watch_open(&kill_set, 0, &watch_out))
CALL(watch_stop, sigport_watch_open(&stop_set, SIGPORT_WATCH_QUEUE, &watch_out))
CALL(watch_reserved, sigport_watch_open(&reserved_set, 0, &watch_out))
CALL(watch_zero, sigport_watch_open(&zero_set, 0, &watch_out))
CALL(take_w_null, sigport_watch_take(NULL, &info_out))
CALL(take_info_null, sigport_watch_take(open_watch, NULL))
CALL(close_null, sigport_watch_close(NULL))
CALL(shared_share_null, sigport_watch_open_shared(&some_set, 0, NULL, &watch_out))
CALL(shared_w_null, sigport_watch_open_shared(&some_set, 0, open_watch, NULL))
CALL(shared_set_null, sigport_watch_open_shared(NULL, 0, open_watch, &watch_out))
CALL(shared_flags, sigport_watch_open_shared(&some_set, 0x20, open_watch, &watch_out))
CALL(shared_empty, sigport_watch_open_shared(&empty_set, 0, open_watch, &watch_out))
CALL(shared_kill, sigport_watch_open_shared(&kill_set, 0, open_watch, &watch_out))
CALL(add_0, sigport_add_handler(0, handler, NULL, 0, &id_out))
CALL(add_nsig, sigport_add_handler(SIGPORT_NSIG, handler, NULL, 0, &id_out))
CALL(add_fn_null, sigport_add_handler(SIGUSR1, NULL, NULL, 0, &id_out))
CALL(add_fn_ign,
     sigport_add_handler(SIGUSR1, SIGPORT_SIG_IGN, NULL, 0, &id_out))
CALL(add_fn_external,
     sigport_add_handler(SIGUSR1, SIGPORT_SIG_EXTERNAL, NULL, 0, &id_out))
CALL(add_flags, sigport_add_handler(SIGUSR1, handler, NULL, 0x40, &id_out))
CALL(add_id_null, sigport_add_handler(SIGUSR1, handler, NULL, 0, NULL))
CALL(add_kill, sigport_add_handler(SIGKILL, handler, NULL, 0, &id_out))
CALL(add_reserved,
     sigport_add_handler(SIGRTMIN - 1, handler, NULL, 0, &id_out))
CALL(add_if_default, sigport_add_handler(SIGUSR2, handler, NULL,
                                         SIGPORT_ADD_IF_DEFAULT, &id_out))
CALL(remove_unknown, sigport_remove_handler(987654321))

static char closed_text[32], blocking_text[32];

static const struct bad_call table[] = {
    {"init flags", init_flags, SIGPORT_EVALUE, "0x80"},
    {"signal 0", signal_0, SIGPORT_EVALUE, "signal number 0 out of range"},
    {"signal -1", signal_neg, SIGPORT_EVALUE, "signal number -1 out of range"},
    {"signal NSIG", signal_nsig, SIGPORT_EVALUE, "out of range"},
    {"signal INT_MAX", signal_huge, SIGPORT_EVALUE, "2147483647"},
    {"signal INT_MIN", signal_min, SIGPORT_EVALUE, "-2147483648"},
    {"signal SIGKILL", signal_kill, SIGPORT_EOS, "SIGKILL"},
    {"signal SIGSTOP", signal_stop, SIGPORT_EOS, "SIGSTOP"},
    {"signal reserved", signal_reserved, SIGPORT_EOS, "reserved"},
    {"getsignal NSIG", getsignal_range, SIGPORT_EVALUE, "out of range"},
    {"getsignal NULL", getsignal_null, SIGPORT_EVALUE, "current"},
    {"strsignal 0", strsignal_0, SIGPORT_EVALUE, "0 is not a signal"},
    {"strsignal NULL", strsignal_null, SIGPORT_EVALUE, "description"},
    {"signum NULL", signum_null, SIGPORT_EVALUE, "name"},
    {"signum unknown", signum_unknown, SIGPORT_EVALUE, "'SIGNOPE'"},
    {"signum 999", signum_number, SIGPORT_EVALUE, "999"},
    {"sigaddset NULL", addset_null, SIGPORT_EVALUE, "set must not be NULL"},
    {"sigaddset 0", addset_0, SIGPORT_EVALUE, "signal number 0"},
    {"sigaddset NSIG", addset_nsig, SIGPORT_EVALUE, "out of range"},
    {"sigdelset -7", delset_neg, SIGPORT_EVALUE, "-7"},
    {"sigismember 4096", ismember_big, SIGPORT_EVALUE, "4096"},
    {"sigset_next -2", next_neg, SIGPORT_EVALUE, "-2"},
    {"valid_signals NULL", valid_null, SIGPORT_EVALUE, "out"},
    {"sigfillset NULL", fill_null, SIGPORT_EVALUE, "set"},
    {"sigemptyset NULL", empty_null, SIGPORT_EVALUE, "set"},
    {"wakeup -5", wakeup_neg, SIGPORT_EVALUE, "-5"},
    {"wakeup closed", wakeup_closed, SIGPORT_EOS, closed_text},
    {"wakeup blocking", wakeup_blocking, SIGPORT_EVALUE, blocking_text},
    {"wakeup flags", wakeup_flags, SIGPORT_EVALUE, "0x40"},
    {"socketpair NULL", socketpair_null, SIGPORT_EVALUE, "pair"},
    {"alarm UINT_MAX", alarm_huge, SIGPORT_EVALUE, "4294967295"},
    {"setitimer which", setitimer_which, SIGPORT_EITIMER, "99"},
    {"setitimer negative", setitimer_neg, SIGPORT_EITIMER, "-1.5"},
    {"setitimer negative interval", setitimer_neg_interval, SIGPORT_EITIMER,
     "-2.5"},
    {"setitimer NaN", setitimer_nan, SIGPORT_EVALUE, "nan"},
    {"setitimer inf", setitimer_inf, SIGPORT_EVALUE, "inf"},
    {"setitimer huge", setitimer_huge, SIGPORT_EVALUE, "1e+300"},
    {"getitimer which", getitimer_which, SIGPORT_EITIMER, "-1"},
    {"getitimer NULL", getitimer_null, SIGPORT_EVALUE, "current"},
    {"pthread_sigmask how", sigmask_how, SIGPORT_EVALUE, "77"},
    {"pthread_sigmask NULL", sigmask_null, SIGPORT_EVALUE, "mask"},
    {"sigpending NULL", sigpending_null, SIGPORT_EVALUE, "out"},
    {"sigwait NULL", sigwait_null, SIGPORT_EVALUE, "set"},
    {"sigwait empty", sigwait_empty, SIGPORT_EVALUE, "empty"},
    {"sigwait signum NULL", sigwait_out_null, SIGPORT_EVALUE, "signum"},
    {"sigwaitinfo empty", sigwaitinfo_empty, SIGPORT_EVALUE, "empty"},
    {"sigtimedwait negative", sigtimedwait_neg, SIGPORT_EVALUE, "-0.5"},
    {"sigtimedwait NaN", sigtimedwait_nan, SIGPORT_EVALUE, "nan"},
    {"sigtimedwait inf", sigtimedwait_inf, SIGPORT_EVALUE, "inf"},
    {"raise 0", raise_0, SIGPORT_EVALUE, "signal number 0"},
    {"raise NSIG", raise_nsig, SIGPORT_EVALUE, "out of range"},
    {"kill -1", kill_neg, SIGPORT_EVALUE, "signal number -1"},
    {"kill NSIG+5", kill_nsig, SIGPORT_EVALUE, "out of range"},
    {"pthread_kill 1000", pthread_kill_range, SIGPORT_EVALUE, "1000"},
    {"pidfd -4", pidfd_range, SIGPORT_EVALUE, "-4"},
    {"pidfd siginfo", pidfd_info, SIGPORT_EVALUE, "siginfo"},
    {"pidfd closed", pidfd_closed, SIGPORT_EOS, closed_text},
    {"siginterrupt 0", siginterrupt_range, SIGPORT_EVALUE, "signal number 0"},
    {"siginterrupt NSIG", siginterrupt_nsig, SIGPORT_EVALUE, "out of range"},
    {"watch_open set NULL", watch_set_null, SIGPORT_EVALUE,
     "set must not be NULL"},
    {"watch_open w NULL", watch_w_null, SIGPORT_EVALUE, "w must not be NULL"},
    {"watch_open empty", watch_empty, SIGPORT_EVALUE, "empty signal set"},
    {"watch_open flags", watch_flags, SIGPORT_EVALUE, "0x10"},
    {"watch_open SIGKILL", watch_kill, SIGPORT_EOS, "SIGKILL"},
    {"watch_open SIGSTOP", watch_stop, SIGPORT_EOS, "SIGSTOP"},
    {"watch_open reserved", watch_reserved, SIGPORT_EOS, "reserved"},
    {"watch_open signal 0", watch_zero, SIGPORT_EVALUE,
     "signal number 0 out of range"},
    {"watch_child fn NULL", child_fn_null, SIGPORT_EVALUE,
     "fn must not be NULL"},
    {"watch_child pid 0", child_pid_0, SIGPORT_EVALUE,
     "pid 0 is not a process id"},
    {"watch_child pid -3", child_pid_neg, SIGPORT_EVALUE,
     "pid -3 is not a process id"},
    {"watch_child not a child", child_not_child, SIGPORT_EOS,
     "is not a child of this process"},
    {"unwatch_child unknown", unwatch_unknown, SIGPORT_EVALUE,
     "is not watched"},
    {"unwatch_child pid 0", unwatch_pid_0, SIGPORT_EVALUE,
     "pid 0 is not a process id"},
    {"unwatch_child ANY", unwatch_any, SIGPORT_EVALUE,
     "SIGPORT_CHILD_ANY is not watched"},
    {"watch_take w NULL", take_w_null, SIGPORT_EVALUE, "w must not be NULL"},
    {"watch_take info NULL", take_info_null, SIGPORT_EVALUE,
     "info must not be NULL"},
    {"watch_close NULL", close_null, SIGPORT_EVALUE, "w must not be NULL"},
    {"watch_open_shared share NULL", shared_share_null, SIGPORT_EVALUE,
     "sigport_watch_open_shared: share must not be NULL"},
    {"watch_open_shared w NULL", shared_w_null, SIGPORT_EVALUE,
     "w must not be NULL"},
    {"watch_open_shared set NULL", shared_set_null, SIGPORT_EVALUE,
     "set must not be NULL"},
    {"watch_open_shared flags", shared_flags, SIGPORT_EVALUE, "0x20"},
    {"watch_open_shared empty", shared_empty, SIGPORT_EVALUE,
     "empty signal set"},
    {"watch_open_shared SIGKILL", shared_kill, SIGPORT_EOS, "SIGKILL"},
    {"add_handler 0", add_0, SIGPORT_EVALUE, "signal number 0 out of range"},
    {"add_handler NSIG", add_nsig, SIGPORT_EVALUE, "out of range"},
    {"add_handler fn NULL", add_fn_null, SIGPORT_EVALUE, "fn must not be NULL"},
    {"add_handler SIG_IGN", add_fn_ign, SIGPORT_EVALUE, "SIGPORT_SIG_IGN"},
    {"add_handler SIG_EXTERNAL", add_fn_external, SIGPORT_EVALUE,
     "SIGPORT_SIG_EXTERNAL"},
    {"add_handler flags", add_flags, SIGPORT_EVALUE, "0x40"},
    {"add_handler id NULL", add_id_null, SIGPORT_EVALUE, "id must not be NULL"},
    {"add_handler SIGKILL", add_kill, SIGPORT_EOS, "SIGKILL"},
    {"add_handler reserved", add_reserved, SIGPORT_EOS, "reserved"},
    {"add_handler IF_DEFAULT", add_if_default, SIGPORT_EVALUE,
     "handled already"},
    {"remove_handler unknown", remove_unknown, SIGPORT_EVALUE, "987654321"},
};

static void setup(void) {
  int fds[2];
  ck_assert_int_eq(sigport_init(0), 0);
  /* An open watch on a signal of its own, for take; made first, so that
     its fd is not the number closed_fd has below. */
  {
    sigport_sigset_t urg;
    sigport_sigemptyset(&urg);
    sigport_sigaddset(&urg, SIGURG);
    SP_ASSERT_OK(sigport_watch_open(&urg, 0, &open_watch));
  }
  SP_ASSERT_OK(sigport_socketpair(sock_pair));
  SP_ASSERT_OK(sigport_set_wakeup_fd(sock_pair[1], 0, NULL));
  ck_assert_int_eq(pipe(fds), 0);
  blocking_fd = fds[1];
  closed_fd = fds[0];
  close(closed_fd);
  snprintf(closed_text, sizeof closed_text, "%d", closed_fd);
  snprintf(blocking_text, sizeof blocking_text, "fd %d", blocking_fd);
  sigport_sigemptyset(&empty_set);
  sigport_sigemptyset(&some_set);
  sigport_sigaddset(&some_set, SIGUSR1);
  kill_set = stop_set = reserved_set = some_set;
  sigport_sigaddset(&kill_set, SIGKILL);
  sigport_sigaddset(&stop_set, SIGSTOP);
  sigport_sigaddset(&reserved_set, SIGRTMIN - 1);
  zero_set = some_set;
  zero_set.bits[0] |= 1u;
}

static void teardown(void) {
  sigport_watch_close(open_watch);
  sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  close(sock_pair[0]);
  close(sock_pair[1]);
  close(blocking_fd);
  sigport_shutdown();
}

START_TEST(test_table) {
  const struct bad_call *c = &table[_i];
  struct snapshot before, after;
  sigport_sigset_t set_before;
  int rc, code = c->code;
  const char *needle = c->needle;
  /* A live state to compare against: a handler, a mask, a timer. */
  sigset_t block;
  struct itimerval tv = {{0, 0}, {100, 0}};
  SP_ASSERT_OK(sigport_signal(SIGUSR2, handler, NULL, NULL));
  sigemptyset(&block);
  sigaddset(&block, SIGWINCH);
  ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &block, NULL), 0);
  ck_assert_int_eq(setitimer(ITIMER_REAL, &tv, NULL), 0);

  set_before = some_set;
  take(&before);
  rc = c->call();
  take(&after);
  /* valgrind 3.19 has no pidfd_send_signal (ENOSYS), so there the call
     may be SIGPORT_ENOTAVAIL. */
  if (c->call == pidfd_closed && sp_test_under_valgrind() &&
      rc == SIGPORT_ENOTAVAIL) {
    code = SIGPORT_ENOTAVAIL;
    needle = "no pidfd_send_signal";
  }
  ck_assert_msg(rc == code, "%s: returned %d (%s), expected %d", c->what,
                rc, sigport_last_error(), code);
  ck_assert_msg(strstr(sigport_last_error(), needle) != NULL,
                "%s: message '%s' does not name '%s'", c->what,
                sigport_last_error(), needle);
  assert_unchanged(&before, &after, c->what);
  ck_assert_msg(memcmp(&set_before, &some_set, sizeof some_set) == 0,
                "%s changed the set", c->what);

  tv.it_value.tv_sec = 0;
  ck_assert_int_eq(setitimer(ITIMER_REAL, &tv, NULL), 0);
}
END_TEST

/* Calls that belong to the main thread fail elsewhere, and change
   nothing. */
struct off_main {
  int rc[5];
  char message[5][160];
};

static void *call_off_main(void *arg) {
  struct off_main *r = arg;
  int i = 0;
  r->rc[i] = sigport_signal(SIGUSR1, handler, NULL, NULL);
  snprintf(r->message[i++], 160, "%s", sigport_last_error());
  r->rc[i] = sigport_dispatch();
  snprintf(r->message[i++], 160, "%s", sigport_last_error());
  r->rc[i] = sigport_pause();
  snprintf(r->message[i++], 160, "%s", sigport_last_error());
  r->rc[i] = sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  snprintf(r->message[i++], 160, "%s", sigport_last_error());
  r->rc[i] = sigport_init(0);
  snprintf(r->message[i++], 160, "%s", sigport_last_error());
  return NULL;
}

START_TEST(test_wrong_thread) {
  struct off_main r;
  struct snapshot before, after;
  pthread_t t;
  int i;
  take(&before);
  ck_assert_int_eq(pthread_create(&t, NULL, call_off_main, &r), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  take(&after);
  for (i = 0; i < 5; i++) {
    ck_assert_msg(r.rc[i] == SIGPORT_EVALUE, "call %d returned %d", i, r.rc[i]);
    ck_assert_msg(strstr(r.message[i], "main thread") != NULL,
                  "call %d: message '%s'", i, r.message[i]);
  }
  assert_unchanged(&before, &after, "calls off the main thread");
}
END_TEST

Suite *sp_suite_badinput(void) {
  Suite *s = suite_create("badinput");
  TCase *tc = tcase_create("badinput");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_table, 0, (int)(sizeof table / sizeof table[0]));
  sp_tcase_add_thread_test(tc, test_wrong_thread);
  suite_add_tcase(s, tc);
  return s;
}
