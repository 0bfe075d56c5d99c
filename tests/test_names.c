/*
 * test_names.c: names, descriptions, default actions and catchability of
 * the signals, parsing names back to numbers, and the real-time signals'
 * names, checked against the C library and the shell where they exist.
 *
 * This suite runs on every platform.
 */
#if !defined(_WIN32)
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#endif
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define T SIGPORT_ACTION_TERMINATE
#define C SIGPORT_ACTION_CORE
#define I SIGPORT_ACTION_IGNORE
#define S SIGPORT_ACTION_STOP
#define K SIGPORT_ACTION_CONTINUE

/* The named signals, real-time signals aside: the number, the name, the
   description, the default action, and whether it can be caught. Each
   platform has those that sigport.h defines for it. */
struct known {
  int signum;
  const char *name, *description;
  int action, catchable;
};

static const struct known known[] = {
#ifdef SIGPORT_SIGHUP
    {SIGPORT_SIGHUP, "SIGHUP", "Hangup", T, 1},
#endif
    {SIGPORT_SIGINT, "SIGINT", "Interrupt", T, 1},
#ifdef SIGPORT_SIGQUIT
    {SIGPORT_SIGQUIT, "SIGQUIT", "Quit", C, 1},
#endif
    {SIGPORT_SIGILL, "SIGILL", "Illegal instruction", C, 1},
#ifdef SIGPORT_SIGTRAP
    {SIGPORT_SIGTRAP, "SIGTRAP", "Trace/breakpoint trap", C, 1},
#endif
    {SIGPORT_SIGABRT, "SIGABRT", "Aborted", C, 1},
#ifdef SIGPORT_SIGEMT
    {SIGPORT_SIGEMT, "SIGEMT", "EMT trap", C, 1},
#endif
#ifdef SIGPORT_SIGBUS
    {SIGPORT_SIGBUS, "SIGBUS", "Bus error", C, 1},
#endif
    {SIGPORT_SIGFPE, "SIGFPE", "Floating point exception", C, 1},
#ifdef SIGPORT_SIGKILL
    {SIGPORT_SIGKILL, "SIGKILL", "Killed", T, 0},
#endif
#ifdef SIGPORT_SIGUSR1
    {SIGPORT_SIGUSR1, "SIGUSR1", "User defined signal 1", T, 1},
#endif
    {SIGPORT_SIGSEGV, "SIGSEGV", "Segmentation fault", C, 1},
#ifdef SIGPORT_SIGUSR2
    {SIGPORT_SIGUSR2, "SIGUSR2", "User defined signal 2", T, 1},
#endif
#ifdef SIGPORT_SIGPIPE
    {SIGPORT_SIGPIPE, "SIGPIPE", "Broken pipe", T, 1},
#endif
#ifdef SIGPORT_SIGALRM
    {SIGPORT_SIGALRM, "SIGALRM", "Alarm clock", T, 1},
#endif
    {SIGPORT_SIGTERM, "SIGTERM", "Terminated", T, 1},
#ifdef SIGPORT_SIGSTKFLT
    {SIGPORT_SIGSTKFLT, "SIGSTKFLT", "Stack fault", T, 1},
#endif
#ifdef SIGPORT_SIGCHLD
    {SIGPORT_SIGCHLD, "SIGCHLD", "Child exited", I, 1},
#endif
#ifdef SIGPORT_SIGCONT
    {SIGPORT_SIGCONT, "SIGCONT", "Continued", K, 1},
#endif
#ifdef SIGPORT_SIGSTOP
    {SIGPORT_SIGSTOP, "SIGSTOP", "Stopped (signal)", S, 0},
#endif
#ifdef SIGPORT_SIGTSTP
    {SIGPORT_SIGTSTP, "SIGTSTP", "Stopped", S, 1},
#endif
#ifdef SIGPORT_SIGTTIN
    {SIGPORT_SIGTTIN, "SIGTTIN", "Stopped (tty input)", S, 1},
#endif
#ifdef SIGPORT_SIGTTOU
    {SIGPORT_SIGTTOU, "SIGTTOU", "Stopped (tty output)", S, 1},
#endif
#ifdef SIGPORT_SIGURG
    {SIGPORT_SIGURG, "SIGURG", "Urgent I/O condition", I, 1},
#endif
#ifdef SIGPORT_SIGXCPU
    {SIGPORT_SIGXCPU, "SIGXCPU", "CPU time limit exceeded", C, 1},
#endif
#ifdef SIGPORT_SIGXFSZ
    {SIGPORT_SIGXFSZ, "SIGXFSZ", "File size limit exceeded", C, 1},
#endif
#ifdef SIGPORT_SIGVTALRM
    {SIGPORT_SIGVTALRM, "SIGVTALRM", "Virtual timer expired", T, 1},
#endif
#ifdef SIGPORT_SIGPROF
    {SIGPORT_SIGPROF, "SIGPROF", "Profiling timer expired", T, 1},
#endif
#ifdef SIGPORT_SIGWINCH
    {SIGPORT_SIGWINCH, "SIGWINCH", "Window changed", I, 1},
#endif
#ifdef SIGPORT_SIGIO
    {SIGPORT_SIGIO, "SIGIO", "I/O possible", T, 1},
#endif
#ifdef SIGPORT_SIGINFO
    {SIGPORT_SIGINFO, "SIGINFO", "Information request", I, 1},
#endif
#ifdef SIGPORT_SIGPWR
    {SIGPORT_SIGPWR, "SIGPWR", "Power failure", T, 1},
#endif
#ifdef SIGPORT_SIGSYS
    {SIGPORT_SIGSYS, "SIGSYS", "Bad system call", C, 1},
#endif
#ifdef SIGPORT_SIGBREAK
    {SIGPORT_SIGBREAK, "SIGBREAK", "Break", T, 1},
#endif
};
#define NKNOWN ((int)(sizeof known / sizeof known[0]))

/* An ASCII lower-case copy of s. */
static void lower(const char *s, char *out, size_t size) {
  size_t i;
  for (i = 0; s[i] != '\0' && i + 1 < size; i++)
    out[i] = (char)tolower((unsigned char)s[i]);
  out[i] = '\0';
}

/* Asserts that signum(text) is `expect`. */
static void assert_parses(const char *text, int expect) {
  int got = sigport_signum(text);
  ck_assert_msg(got == expect, "sigport_signum(\"%s\") is %d, expected %d (%s)",
                text, got, expect, got < 0 ? sigport_last_error() : "");
}

/* Asserts that signum(text) fails with SIGPORT_EVALUE and that the message
   quotes `needle`. */
static void assert_rejected(const char *text, const char *needle) {
  int got = sigport_signum(text);
  ck_assert_msg(got == SIGPORT_EVALUE,
                "sigport_signum(\"%s\") is %d, expected SIGPORT_EVALUE", text,
                got);
  ck_assert_msg(strstr(sigport_last_error(), needle) != NULL,
                "sigport_signum(\"%s\"): message '%s' does not contain '%s'",
                text, sigport_last_error(), needle);
}

/* Every way of writing a name parses back to signum: "SIGINT", "INT",
   "sigint", "int", "Sigint" and the decimal number. */
static void assert_all_forms(const char *name, int signum) {
  char buf[64], num[16];
  const char *bare = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
  assert_parses(name, signum);
  assert_parses(bare, signum);
  lower(name, buf, sizeof buf);
  assert_parses(buf, signum);
  lower(bare, buf, sizeof buf);
  assert_parses(buf, signum);
  snprintf(buf, sizeof buf, "%s", name);
  buf[0] = (char)toupper((unsigned char)buf[0]);
  assert_parses(buf, signum);
  snprintf(num, sizeof num, "%d", signum);
  assert_parses(num, signum);
}

/* ------------------------------------------------------------------ */
/* The named signals                                                   */
/* ------------------------------------------------------------------ */

START_TEST(test_known_signal) {
  const struct known *k = &known[_i];
  const char *desc = NULL;
  ck_assert_msg(sigport_signame(k->signum) != NULL,
                "sigport_signame(%d) is NULL", k->signum);
  ck_assert_str_eq(sigport_signame(k->signum), k->name);
  SP_ASSERT_OK(sigport_strsignal(k->signum, &desc));
  ck_assert_ptr_nonnull(desc);
  ck_assert_str_eq(desc, k->description);
  ck_assert_int_eq(sigport_default_action(k->signum), k->action);
  ck_assert_int_eq(sigport_catchable(k->signum), k->catchable);
  assert_all_forms(k->name, k->signum);
}
END_TEST

START_TEST(test_signum_forms) {
  assert_parses("SIGINT", SIGPORT_SIGINT);
  assert_parses("INT", SIGPORT_SIGINT);
  assert_parses("int", SIGPORT_SIGINT);
  assert_parses("sigInt", SIGPORT_SIGINT);
  assert_parses("2", SIGPORT_SIGINT);
  assert_parses("SIGTERM", SIGPORT_SIGTERM);
  assert_parses("term", SIGPORT_SIGTERM);
  assert_parses("15", SIGPORT_SIGTERM);
  /* Signal 0, for sigport_kill()'s existence check. */
  assert_parses("0", 0);
}
END_TEST

START_TEST(test_signum_rejects) {
  char long_name[300];
  int got;
  assert_rejected("FOO", "unknown signal name 'FOO'");
  assert_rejected("SIGFOO", "'SIGFOO'");
  assert_rejected("", "unknown signal name ''");
  assert_rejected("SIG", "'SIG'");
  assert_rejected("sig", "'sig'");
  assert_rejected("199", "199"); /* above every system's signals */
  assert_rejected("-1", "'-1'");
  assert_rejected("+2", "'+2'");
  assert_rejected("2x", "'2x'");
  assert_rejected("x2", "'x2'");
  assert_rejected(" 2", "' 2'");
  assert_rejected("2 ", "'2 '");
  assert_rejected("SIGINT ", "'SIGINT '");
  assert_rejected(" SIGINT", "' SIGINT'");
  assert_rejected("SIG INT", "'SIG INT'");
  assert_rejected("SIGSIGINT", "'SIGSIGINT'");
  assert_rejected("SIGIN", "'SIGIN'");
  assert_rejected("SIGINTX", "'SIGINTX'");
  assert_rejected("0x2", "'0x2'");
  assert_rejected("2.0", "'2.0'");
  assert_rejected("99999999999999999999", "99999999999999999999");
#if !SIGPORT_HAVE_CONSOLE_EVENTS
  {
    /* One past the highest signal (on Windows, that number is
       CTRL_C_EVENT's). */
    char num[16];
    snprintf(num, sizeof num, "%d", SIGPORT_NSIG);
    assert_rejected(num, num);
  }
#endif
  /* Names and numbers of signals this platform does not have. */
#ifndef SIGPORT_SIGHUP
  assert_rejected("SIGHUP", "'SIGHUP'");
  assert_rejected("1", "1");
#endif
#ifndef SIGPORT_SIGQUIT
  assert_rejected("3", "3");
#endif
#ifndef SIGPORT_SIGKILL
  assert_rejected("SIGKILL", "'SIGKILL'");
  assert_rejected("9", "9");
#endif
#ifndef SIGPORT_SIGUSR1
  assert_rejected("USR1", "'USR1'");
#endif
#ifndef SIGPORT_SIGBREAK
  assert_rejected("SIGBREAK", "'SIGBREAK'");
#endif
#if !SIGPORT_HAVE_CONSOLE_EVENTS
  assert_rejected("CTRL_C_EVENT", "'CTRL_C_EVENT'");
  assert_rejected("CTRL_BREAK_EVENT", "'CTRL_BREAK_EVENT'");
#endif
#if !SIGPORT_HAVE_RTSIG
  assert_rejected("SIGRTMIN", "'SIGRTMIN'");
#endif
  /* A NULL name. */
  got = sigport_signum(NULL);
  ck_assert_int_eq(got, SIGPORT_EVALUE);
  ck_assert_msg(strstr(sigport_last_error(), "name must not be NULL") != NULL,
                "message '%s'", sigport_last_error());
  /* A very long name is quoted, shortened, in a message that fits. */
  memset(long_name, 'Q', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  got = sigport_signum(long_name);
  ck_assert_int_eq(got, SIGPORT_EVALUE);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "'QQQQQQQQ"));
  ck_assert_uint_lt(strlen(sigport_last_error()), 256);
}
END_TEST

START_TEST(test_not_a_signal) {
  static const int bad[] = {0, -1, SIGPORT_NSIG, SIGPORT_NSIG + 2, 1000,
                            INT_MIN, INT_MAX};
  size_t i;
  char num[16];
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *desc = "untouched";
    int n = bad[i];
    snprintf(num, sizeof num, "%d", n);
#if SIGPORT_HAVE_CONSOLE_EVENTS
    /* The console events lie beyond the range, with names of their own. */
    if (n == SIGPORT_CTRL_C_EVENT || n == SIGPORT_CTRL_BREAK_EVENT) continue;
#endif
    ck_assert_msg(sigport_signame(n) == NULL, "sigport_signame(%d) is '%s'", n,
                  sigport_signame(n));
    SP_ASSERT_FAILS(sigport_strsignal(n, &desc), SIGPORT_EVALUE, num);
    ck_assert_str_eq(desc, "untouched");
    SP_ASSERT_FAILS(sigport_default_action(n), SIGPORT_EVALUE, num);
    SP_ASSERT_FAILS(sigport_catchable(n), SIGPORT_EVALUE, num);
  }
  SP_ASSERT_FAILS(sigport_strsignal(SIGPORT_SIGINT, NULL), SIGPORT_EVALUE,
                  "description must not be NULL");
}
END_TEST

/* Aliases parse, and the name of their number is the primary one. */
START_TEST(test_aliases) {
#ifdef SIGPORT_SIGIOT
  assert_all_forms("SIGIOT", SIGPORT_SIGABRT);
  ck_assert_str_eq(sigport_signame(SIGPORT_SIGIOT), "SIGABRT");
#endif
#ifdef SIGPORT_SIGCLD
  assert_all_forms("SIGCLD", SIGPORT_SIGCHLD);
  ck_assert_str_eq(sigport_signame(SIGPORT_SIGCLD), "SIGCHLD");
#endif
#ifdef SIGPORT_SIGPOLL
  assert_all_forms("SIGPOLL", SIGPORT_SIGIO);
  ck_assert_str_eq(sigport_signame(SIGPORT_SIGPOLL), "SIGIO");
#endif
#ifndef SIGPORT_SIGIOT
  assert_rejected("SIGIOT", "'SIGIOT'");
#endif
#ifndef SIGPORT_SIGCLD
  assert_rejected("SIGCLD", "'SIGCLD'");
#endif
#ifndef SIGPORT_SIGPOLL
  assert_rejected("SIGPOLL", "'SIGPOLL'");
#endif
}
END_TEST

/* Every valid signal has a name that round-trips, and the numbers in
   range that have a name are exactly the valid ones. */
START_TEST(test_valid_signals_round_trip) {
  sigport_sigset_t valid;
  int n, count = 0;
  SP_ASSERT_OK(sigport_valid_signals(&valid));
  for (n = 1; n < SIGPORT_NSIG; n++) {
    const char *name = sigport_signame(n), *desc = NULL;
    int member = sigport_sigismember(&valid, n);
    if (member != 1) {
      char num[16];
      ck_assert_msg(name == NULL, "%d is not valid but is named '%s'", n, name);
      snprintf(num, sizeof num, "%d", n);
      assert_rejected(num, num);
      continue;
    }
    count++;
    ck_assert_msg(name != NULL, "valid signal %d has no name", n);
    ck_assert_msg(strncmp(name, "SIG", 3) == 0, "'%s' lacks SIG", name);
    assert_all_forms(name, n);
    SP_ASSERT_OK(sigport_strsignal(n, &desc));
    ck_assert_msg(desc != NULL && *desc != '\0', "signal %d: no description",
                  n);
    ck_assert_int_ge(sigport_default_action(n), SIGPORT_ACTION_TERMINATE);
    ck_assert_int_le(sigport_default_action(n), SIGPORT_ACTION_CONTINUE);
    ck_assert_int_ge(sigport_catchable(n), 0);
    ck_assert_int_le(sigport_catchable(n), 1);
  }
  ck_assert_int_gt(count, 0);
  /* Every named signal of the table is valid. */
  for (n = 0; n < NKNOWN; n++)
    ck_assert_int_eq(sigport_sigismember(&valid, known[n].signum), 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Real-time signals                                                   */
/* ------------------------------------------------------------------ */

#if SIGPORT_HAVE_RTSIG
/* The `kill -l` name of a real-time signal: SIGRTMIN+k for the lower half
   (up to the middle), SIGRTMAX-k for the upper half. */
static void rt_name(int n, char *out, size_t size) {
  int lo = SIGRTMIN, hi = SIGRTMAX;
  if (n - lo <= (hi - lo) / 2) {
    if (n == lo)
      snprintf(out, size, "SIGRTMIN");
    else
      snprintf(out, size, "SIGRTMIN+%d", n - lo);
  } else {
    if (n == hi)
      snprintf(out, size, "SIGRTMAX");
    else
      snprintf(out, size, "SIGRTMAX-%d", hi - n);
  }
}

START_TEST(test_rt_bounds) {
  ck_assert_int_eq(sigport_sigrtmin(), SIGRTMIN);
  ck_assert_int_eq(sigport_sigrtmax(), SIGRTMAX);
  ck_assert_int_gt(sigport_sigrtmin(), 0);
  ck_assert_int_lt(sigport_sigrtmax(), SIGPORT_NSIG);
  ck_assert_int_le(sigport_sigrtmin(), sigport_sigrtmax());
}
END_TEST

START_TEST(test_rt_names) {
  int lo = SIGRTMIN, hi = SIGRTMAX, n;
  char expect[32];
  for (n = lo; n <= hi; n++) {
    const char *desc = NULL;
    rt_name(n, expect, sizeof expect);
    ck_assert_msg(sigport_signame(n) != NULL, "signal %d has no name", n);
    ck_assert_msg(strcmp(sigport_signame(n), expect) == 0,
                  "sigport_signame(%d) is '%s', expected '%s'", n,
                  sigport_signame(n), expect);
    assert_all_forms(expect, n);
    SP_ASSERT_OK(sigport_strsignal(n, &desc));
    snprintf(expect, sizeof expect, "Real-time signal %d", n - lo);
    ck_assert_str_eq(desc, expect);
    ck_assert_int_eq(sigport_default_action(n), SIGPORT_ACTION_TERMINATE);
    ck_assert_int_eq(sigport_catchable(n), 1);
  }
  /* glibc on Linux: the names `kill -l` gives there. */
  if (lo == 34 && hi == 64) {
    ck_assert_str_eq(sigport_signame(34), "SIGRTMIN");
    ck_assert_str_eq(sigport_signame(35), "SIGRTMIN+1");
    ck_assert_str_eq(sigport_signame(49), "SIGRTMIN+15");
    ck_assert_str_eq(sigport_signame(50), "SIGRTMAX-14");
    ck_assert_str_eq(sigport_signame(63), "SIGRTMAX-1");
    ck_assert_str_eq(sigport_signame(64), "SIGRTMAX");
  }
}
END_TEST

/* Each real-time signal in every form: RTMIN+k and RTMAX-k for every k in
   range, whichever half the signal is named from. */
START_TEST(test_rt_every_form_parses) {
  int lo = SIGRTMIN, hi = SIGRTMAX, k;
  char buf[32];
  assert_parses("SIGRTMIN", lo);
  assert_parses("RTMIN", lo);
  assert_parses("rtmin", lo);
  assert_parses("SIGRTMAX", hi);
  assert_parses("rtmax", hi);
  for (k = 0; k <= hi - lo; k++) {
    snprintf(buf, sizeof buf, "SIGRTMIN+%d", k);
    assert_parses(buf, lo + k);
    snprintf(buf, sizeof buf, "rtmin+%d", k);
    assert_parses(buf, lo + k);
    snprintf(buf, sizeof buf, "SIGRTMAX-%d", k);
    assert_parses(buf, hi - k);
    snprintf(buf, sizeof buf, "RtMax-%d", k);
    assert_parses(buf, hi - k);
  }
  if (hi - lo >= 3) {
    assert_parses("rtmin+3", lo + 3);
    assert_parses("SIGRTMAX-1", hi - 1);
  }
}
END_TEST

START_TEST(test_rt_out_of_range_rejected) {
  int lo = SIGRTMIN, hi = SIGRTMAX;
  char buf[32];
  assert_rejected("RTMIN+99", "'RTMIN+99'");
  assert_rejected("RTMAX+1", "'RTMAX+1'");
  assert_rejected("RTMIN-1", "'RTMIN-1'");
  assert_rejected("SIGRTMAX+0", "'SIGRTMAX+0'");
  assert_rejected("SIGRTMIN-0", "'SIGRTMIN-0'");
  snprintf(buf, sizeof buf, "SIGRTMIN+%d", hi - lo + 1);
  assert_rejected(buf, buf);
  snprintf(buf, sizeof buf, "SIGRTMAX-%d", hi - lo + 1);
  assert_rejected(buf, buf);
  assert_rejected("RTMIN+", "'RTMIN+'");
  assert_rejected("RTMAX-", "'RTMAX-'");
  assert_rejected("RTMIN+x", "'RTMIN+x'");
  assert_rejected("RTMIN+1x", "'RTMIN+1x'");
  assert_rejected("RTMIN+ 1", "'RTMIN+ 1'");
  assert_rejected("RTMIN++1", "'RTMIN++1'");
  assert_rejected("RTMIN+-1", "'RTMIN+-1'");
  assert_rejected("RTMINX", "'RTMINX'");
  assert_rejected("RTMI", "'RTMI'");
  assert_rejected("RTMID", "'RTMID'");
  assert_rejected("SIGRT", "'SIGRT'");
  assert_rejected("SIGSIGRTMIN", "'SIGSIGRTMIN'");
  assert_rejected("RTMIN+99999999999999999999",
                  "'RTMIN+99999999999999999999'");
}
END_TEST

/* The C library's reserved real-time signals (those its sigfillset()
   leaves out: 32 and 33 with glibc) are not signals sigport names. */
START_TEST(test_reserved_not_named) {
  sigset_t all;
  int n, reserved = 0;
  char num[16];
  sigfillset(&all);
  for (n = 1; n < SIGPORT_NSIG; n++) {
    const char *desc = "untouched";
    if (sigismember(&all, n) == 1) continue;
    reserved++;
    ck_assert_msg(n < SIGRTMIN, "reserved signal %d above SIGRTMIN", n);
    ck_assert_msg(sigport_signame(n) == NULL, "reserved %d is named '%s'", n,
                  sigport_signame(n));
    snprintf(num, sizeof num, "%d", n);
    assert_rejected(num, num);
    SP_ASSERT_FAILS(sigport_strsignal(n, &desc), SIGPORT_EVALUE, num);
    ck_assert_str_eq(desc, "untouched");
    SP_ASSERT_FAILS(sigport_default_action(n), SIGPORT_EVALUE, num);
    SP_ASSERT_FAILS(sigport_catchable(n), SIGPORT_EVALUE, num);
  }
#if defined(__GLIBC__) && defined(__linux__)
  ck_assert_int_eq(reserved, 2);
  ck_assert_ptr_null(sigport_signame(32));
  ck_assert_ptr_null(sigport_signame(33));
  assert_rejected("32", "32");
  assert_rejected("33", "33");
#else
  (void)reserved;
#endif
}
END_TEST
#else
START_TEST(test_rt_not_available) {
  SP_ASSERT_FAILS(sigport_sigrtmin(), SIGPORT_ENOTAVAIL, "real-time");
  SP_ASSERT_FAILS(sigport_sigrtmax(), SIGPORT_ENOTAVAIL, "real-time");
  assert_rejected("SIGRTMIN", "'SIGRTMIN'");
  assert_rejected("RTMAX", "'RTMAX'");
  assert_rejected("RTMIN+1", "'RTMIN+1'");
}
END_TEST
#endif

/* ------------------------------------------------------------------ */
/* The system's own view                                               */
/* ------------------------------------------------------------------ */

#if !defined(_WIN32)
/* sigport's names equal what the shell's `kill -l N` prints, for every
   number in range (nothing for the reserved ones). Skipped where there is
   no bash. The bash must be the system's: under qemu-user the one on the
   path is the host's, which numbers the host's signals, and the target's
   own bash is named by SIGPORT_TEST_BASH (ci/cross.sh unpacks Debian's
   bash for the target). */
START_TEST(test_names_match_kill_l) {
  char cmd[512], line[128];
  FILE *p;
  int seen[SIGPORT_NSIG], lines = 0, n, status;
  const char *bash = getenv("SIGPORT_TEST_BASH");
  if (bash == NULL || bash[0] == '\0') {
    ck_assert_msg(!sp_test_under_qemu(),
                  "under qemu-user, SIGPORT_TEST_BASH must name the "
                  "target's bash: the host's numbers the host's signals");
    bash = "bash";
  }
  ck_assert_msg(strchr(bash, '\'') == NULL, "SIGPORT_TEST_BASH '%s'", bash);
  memset(seen, 0, sizeof seen);
  snprintf(cmd, sizeof cmd,
           "'%s' -c 'i=1; while [ $i -lt %d ]; do "
           "echo \"$i:$(kill -l $i 2>/dev/null)\"; i=$((i+1)); done' "
           "2>/dev/null",
           bash, SIGPORT_NSIG);
  fflush(stdout);
  p = popen(cmd, "r");
  ck_assert_ptr_nonnull(p);
  while (fgets(line, sizeof line, p) != NULL) {
    char *colon = strchr(line, ':'), *end;
    char expect[64];
    const char *got;
    line[strcspn(line, "\n")] = '\0';
    ck_assert_ptr_nonnull(colon);
    *colon = '\0';
    n = (int)strtol(line, &end, 10);
    ck_assert_msg(*end == '\0' && n >= 1 && n < SIGPORT_NSIG,
                  "bad line from bash: '%s'", line);
    seen[n] = 1;
    lines++;
    got = sigport_signame(n);
    if (colon[1] == '\0') {
      ck_assert_msg(got == NULL, "kill -l %d names nothing, sigport '%s'", n,
                    got);
      continue;
    }
    snprintf(expect, sizeof expect, "SIG%s", colon + 1);
    ck_assert_msg(got != NULL && strcmp(got, expect) == 0,
                  "kill -l %d gives %s, sigport_signame gives %s", n, expect,
                  got != NULL ? got : "NULL");
    /* And the shell's spelling parses back. */
    assert_parses(colon + 1, n);
  }
  status = pclose(p);
  if (lines == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    fprintf(stderr, "test_names_match_kill_l: no bash here, skipped\n");
    return;
  }
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                "bash ended with status %d", status);
  for (n = 1; n < SIGPORT_NSIG; n++)
    ck_assert_msg(seen[n], "no line from bash for %d", n);
}
END_TEST
#endif

#if defined(__GLIBC__)
/* glibc's strsignal() describes every signal in the words sigport uses. */
START_TEST(test_descriptions_match_glibc) {
  sigport_sigset_t valid;
  int n;
  SP_ASSERT_OK(sigport_valid_signals(&valid));
  for (n = 1; n < SIGPORT_NSIG; n++) {
    const char *desc = NULL;
    char libc[128];
    if (sigport_sigismember(&valid, n) != 1) continue;
    /* strsignal()'s buffer may be reused: copy it at once. */
    snprintf(libc, sizeof libc, "%s", strsignal(n));
    SP_ASSERT_OK(sigport_strsignal(n, &desc));
    ck_assert_msg(strcmp(desc, libc) == 0,
                  "signal %d: sigport says '%s', glibc '%s'", n, desc, libc);
  }
}
END_TEST
#endif

#if SIGPORT_HAVE_CONSOLE_EVENTS
/* The console events have names of their own, beyond the signal range. */
START_TEST(test_console_events) {
  const char *desc = NULL;
  ck_assert_int_eq(SIGPORT_CTRL_C_EVENT, SIGPORT_NSIG);
  ck_assert_int_eq(SIGPORT_CTRL_BREAK_EVENT, SIGPORT_NSIG + 1);
  ck_assert_str_eq(sigport_signame(SIGPORT_CTRL_C_EVENT), "CTRL_C_EVENT");
  ck_assert_str_eq(sigport_signame(SIGPORT_CTRL_BREAK_EVENT),
                   "CTRL_BREAK_EVENT");
  assert_parses("CTRL_C_EVENT", SIGPORT_CTRL_C_EVENT);
  assert_parses("ctrl_c_event", SIGPORT_CTRL_C_EVENT);
  assert_parses("CTRL_BREAK_EVENT", SIGPORT_CTRL_BREAK_EVENT);
  assert_parses("Ctrl_Break_Event", SIGPORT_CTRL_BREAK_EVENT);
  assert_rejected("CTRL_C", "'CTRL_C'");
  assert_rejected("SIGCTRL_C_EVENT", "'SIGCTRL_C_EVENT'");
  SP_ASSERT_OK(sigport_strsignal(SIGPORT_CTRL_C_EVENT, &desc));
  ck_assert_str_eq(desc, "Ctrl+C console event");
  SP_ASSERT_OK(sigport_strsignal(SIGPORT_CTRL_BREAK_EVENT, &desc));
  ck_assert_str_eq(desc, "Ctrl+Break console event");
  /* Sent, never caught. */
  ck_assert_int_eq(sigport_catchable(SIGPORT_CTRL_C_EVENT), 0);
  ck_assert_int_eq(sigport_catchable(SIGPORT_CTRL_BREAK_EVENT), 0);
  /* And beyond them nothing. */
  ck_assert_ptr_null(sigport_signame(SIGPORT_CTRL_BREAK_EVENT + 1));
}
END_TEST
#endif

/* sigport_codename(): the codes of real deliveries, as a raw SA_SIGINFO
   handler (not sigport's) and waitid() saw them. */
#if !defined(_WIN32)
static volatile sig_atomic_t seen_code;
static void take_code(int signum, siginfo_t *si, void *context) {
  (void)signum;
  (void)context;
  seen_code = si->si_code;
}

static int code_of_delivery(int signum, int how) {
  struct sigaction sa, old;
  union sigval v;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = take_code;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(signum, &sa, &old), 0);
  seen_code = -12345;
  memset(&v, 0, sizeof v); /* every byte: the kernel copies the union */
  v.sival_int = 7;
  if (how == 0) ck_assert_int_eq(kill(getpid(), signum), 0);
  if (how == 1) ck_assert_int_eq(sigqueue(getpid(), signum, v), 0);
  ck_assert_int_ne(seen_code, -12345);
  ck_assert_int_eq(sigaction(signum, &old, NULL), 0);
  return seen_code;
}

START_TEST(test_codename_of_deliveries) {
  siginfo_t si;
  pid_t pid;
  ck_assert_str_eq(sigport_codename(SIGUSR1, code_of_delivery(SIGUSR1, 0)),
                   "SI_USER");
  ck_assert_str_eq(sigport_codename(SIGUSR2, code_of_delivery(SIGUSR2, 1)),
                   "SI_QUEUE");
  /* A child's end, as waitid() reports it. */
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) _exit(3);
  memset(&si, 0, sizeof si);
  ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED), 0);
  ck_assert_str_eq(sigport_codename(SIGCHLD, si.si_code), "CLD_EXITED");
}
END_TEST

/* A real fault's code: the faulting child's handler writes it to a pipe
   and ends (write and _exit are async-signal-safe). */
static int fault_fd = -1;
static void fault_out(int signum, siginfo_t *si, void *context) {
  int code = si->si_code;
  (void)signum;
  (void)context;
  _exit(write(fault_fd, &code, sizeof code) == (ssize_t)sizeof code ? 0 : 3);
}

START_TEST(test_codename_of_fault) {
  int fds[2], code = 0, status;
  pid_t pid;
  ck_assert_int_eq(pipe(fds), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    struct sigaction sa;
    volatile char *page = mmap(NULL, 4096, PROT_READ,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fault_fd = fds[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_out;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (page == MAP_FAILED || sigaction(SIGSEGV, &sa, NULL) != 0) _exit(2);
    page[0] = 1;
    _exit(4);
  }
  close(fds[1]);
  ck_assert_int_eq(read(fds[0], &code, sizeof code), (ssize_t)sizeof code);
  close(fds[0]);
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  /* Linux gives SEGV_ACCERR; qemu-ppc64le (7.2) says SEGV_MAPERR. Either
     way the name is the code's. */
  ck_assert_msg(code == SEGV_ACCERR || code == SEGV_MAPERR,
                "a write to a read-only page came with code %d", code);
  ck_assert_str_eq(sigport_codename(SIGSEGV, code),
                   code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_MAPERR");
}
END_TEST

START_TEST(test_codename_table) {
  /* The same number is another signal's code. */
  ck_assert_str_eq(sigport_codename(SIGSEGV, SEGV_MAPERR), "SEGV_MAPERR");
  ck_assert_str_eq(sigport_codename(SIGCHLD, CLD_EXITED), "CLD_EXITED");
  ck_assert_int_eq(SEGV_MAPERR, CLD_EXITED);
  ck_assert_str_eq(sigport_codename(SIGCHLD, CLD_KILLED), "CLD_KILLED");
  ck_assert_str_eq(sigport_codename(SIGBUS, BUS_ADRALN), "BUS_ADRALN");
  ck_assert_str_eq(sigport_codename(SIGFPE, FPE_INTDIV), "FPE_INTDIV");
  ck_assert_str_eq(sigport_codename(SIGILL, ILL_ILLOPC), "ILL_ILLOPC");
  /* Any signal's codes, with a signal or without one. */
  ck_assert_str_eq(sigport_codename(0, SI_USER), "SI_USER");
  ck_assert_str_eq(sigport_codename(SIGSEGV, SI_USER), "SI_USER");
  ck_assert_str_eq(sigport_codename(SIGTERM, SI_QUEUE), "SI_QUEUE");
  ck_assert_ptr_null(sigport_codename(0, 9999));
  ck_assert_ptr_nonnull(strstr(sigport_last_error(),
                               "code 9999 has no name for any signal"));
  ck_assert_ptr_null(sigport_codename(SIGSEGV, 4242));
  ck_assert_ptr_nonnull(
      strstr(sigport_last_error(), "code 4242 has no name for SIGSEGV"));
  ck_assert_ptr_null(sigport_codename(SIGPORT_NSIG + 50, SI_USER));
  {
    char needle[64];
    snprintf(needle, sizeof needle, "signal number %d is not a signal",
             SIGPORT_NSIG + 50);
    ck_assert_ptr_nonnull(strstr(sigport_last_error(), needle));
  }
  ck_assert_ptr_null(sigport_codename(-1, SI_USER));
}
END_TEST
#else
START_TEST(test_codename_console) {
  ck_assert_str_eq(sigport_codename(SIGPORT_SIGINT, 0), "CTRL_C_EVENT");
  ck_assert_str_eq(sigport_codename(SIGPORT_SIGBREAK, 1), "CTRL_BREAK_EVENT");
  ck_assert_str_eq(sigport_codename(0, 6), "CTRL_SHUTDOWN_EVENT");
  ck_assert_ptr_null(sigport_codename(SIGPORT_SIGINT, 3));
  ck_assert_ptr_nonnull(
      strstr(sigport_last_error(), "code 3 has no name for SIGINT"));
  ck_assert_ptr_null(sigport_codename(SIGPORT_SIGINT, 99));
  ck_assert_ptr_null(sigport_codename(5, 0));
}
END_TEST
#endif

Suite *sp_suite_names(void) {
  Suite *s = suite_create("names");
  TCase *tc = tcase_create("names");
  tcase_set_timeout(tc, 30);
  tcase_add_loop_test(tc, test_known_signal, 0, NKNOWN);
  tcase_add_test(tc, test_signum_forms);
  tcase_add_test(tc, test_signum_rejects);
  tcase_add_test(tc, test_not_a_signal);
  tcase_add_test(tc, test_aliases);
  tcase_add_test(tc, test_valid_signals_round_trip);
#if !defined(_WIN32)
  tcase_add_test(tc, test_names_match_kill_l);
#endif
#if !defined(_WIN32)
  tcase_add_test(tc, test_codename_of_deliveries);
  tcase_add_test(tc, test_codename_of_fault);
  tcase_add_test(tc, test_codename_table);
#else
  tcase_add_test(tc, test_codename_console);
#endif
#if defined(__GLIBC__)
  tcase_add_test(tc, test_descriptions_match_glibc);
#endif
#if SIGPORT_HAVE_CONSOLE_EVENTS
  tcase_add_test(tc, test_console_events);
#endif
  suite_add_tcase(s, tc);

  tc = tcase_create("realtime");
#if SIGPORT_HAVE_RTSIG
  tcase_add_test(tc, test_rt_bounds);
  tcase_add_test(tc, test_rt_names);
  tcase_add_test(tc, test_rt_every_form_parses);
  tcase_add_test(tc, test_rt_out_of_range_rejected);
  tcase_add_test(tc, test_reserved_not_named);
#else
  tcase_add_test(tc, test_rt_not_available);
#endif
  suite_add_tcase(s, tc);
  return s;
}
