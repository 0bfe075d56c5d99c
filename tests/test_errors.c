/*
 * test_errors.c: the error codes, their messages and names, the
 * thread-local last_error and last_oserror, the counted sigport_init(), the
 * main-thread rule and the calls that need sigport_init() first.
 *
 * This suite runs on every platform. On Windows Check runs without fork,
 * so every test leaves sigport exactly as it found it (not initialised),
 * and other threads only record what they saw: the assertions run on the
 * thread of the test.
 */
#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <process.h>
#else
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>

#include "helpers.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Runs fn(arg) on a new thread and waits for it to end. */
struct thread_job {
  void (*fn)(void *);
  void *arg;
};

#if defined(_WIN32)
static unsigned __stdcall thread_main(void *p) {
  struct thread_job *job = p;
  job->fn(job->arg);
  return 0;
}

static void run_in_thread(void (*fn)(void *), void *arg) {
  struct thread_job job;
  HANDLE t;
  job.fn = fn;
  job.arg = arg;
  t = (HANDLE)_beginthreadex(NULL, 0, thread_main, &job, 0, NULL);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
  CloseHandle(t);
}
#else
static void *thread_main(void *p) {
  struct thread_job *job = p;
  job->fn(job->arg);
  return NULL;
}

static void run_in_thread(void (*fn)(void *), void *arg) {
  struct thread_job job;
  pthread_t t;
  job.fn = fn;
  job.arg = arg;
  ck_assert_int_eq(pthread_create(&t, NULL, thread_main, &job), 0);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
}
#endif

/* A result and its message, as a call on another thread saw them. */
struct outcome {
  int rc;
  char message[256];
};

static void keep(struct outcome *o, int rc) {
  o->rc = rc;
  snprintf(o->message, sizeof o->message, "%s", sigport_last_error());
}

/* Asserts an outcome recorded on another thread. */
#define ASSERT_OUTCOME(o, code, needle)                                      \
  do {                                                                       \
    ck_assert_msg((o).rc == (code), "returned %d, expected %d (%s)", (o).rc, \
                  (code), (o).message);                                      \
    ck_assert_msg(strstr((o).message, (needle)) != NULL,                     \
                  "message '%s' does not contain '%s'", (o).message,         \
                  (needle));                                                 \
  } while (0)

/* 1 if sigport is initialised with this thread as its main thread, 0 if
   it is not initialised; sigport_dispatch() tells the two apart. */
static int initialised_here(void) {
  int rc = sigport_dispatch();
  if (rc == 0) return 1;
  ck_assert_int_eq(rc, SIGPORT_EVALUE);
  ck_assert_msg(strstr(sigport_last_error(), "not initialised") != NULL,
                "unexpected message '%s'", sigport_last_error());
  return 0;
}

static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  return 0;
}

static int other_handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  return 1;
}

#if SIGPORT_HAVE_SIGACTION
/* The raw disposition of a signal, to check that nothing changed. */
static void raw_action(int signum, struct sigaction *out) {
  ck_assert_int_eq(sigaction(signum, NULL, out), 0);
}

static void assert_same_action(const struct sigaction *a,
                               const struct sigaction *b, int signum) {
  ck_assert_msg(a->sa_handler == b->sa_handler &&
                    (a->sa_flags & SA_SIGINFO) == (b->sa_flags & SA_SIGINFO),
                "the disposition of signal %d changed", signum);
}
#endif

#if !defined(_WIN32)
/* A process id that no process has: above every system's pid_max
   (Linux's limit is 2^22). Not a child that ended and was reaped: the
   system may give its pid to another process at once (pid_max is 32768
   by default), and a SIGTERM sent to it would end someone else. */
static pid_t dead_pid(void) { return (pid_t)2147483646; }
#endif

/* Every test starts and ends with sigport not initialised. */
static void setup(void) { ck_assert_int_eq(initialised_here(), 0); }
static void teardown(void) {
  int i;
  for (i = 0; i < 16; i++) sigport_shutdown();
}

/* ------------------------------------------------------------------ */
/* Codes, messages, names                                              */
/* ------------------------------------------------------------------ */

START_TEST(test_codes_are_fixed) {
  ck_assert_int_eq(SIGPORT_EVALUE, -1);
  ck_assert_int_eq(SIGPORT_EOS, -2);
  ck_assert_int_eq(SIGPORT_EITIMER, -3);
  ck_assert_int_eq(SIGPORT_ENOTAVAIL, -4);
  ck_assert_int_eq(SIGPORT_EKEYBOARDINTERRUPT, -100);
  ck_assert_int_eq(SIGPORT_EUSER, -1000);
}
END_TEST

static const struct {
  int code;
  const char *message;
  const char *name;
} codes[] = {
    {0, "success", "OK"},
    {1, "success", "OK"},
    {23, "success", "OK"},
    {INT_MAX, "success", "OK"},
    {SIGPORT_EVALUE, "invalid argument", "ValueError"},
    {SIGPORT_EOS, "operating system error", "OSError"},
    {SIGPORT_EITIMER, "interval timer error", "ItimerError"},
    {SIGPORT_ENOTAVAIL, "not available on this platform", "AttributeError"},
    {SIGPORT_EKEYBOARDINTERRUPT, "keyboard interrupt", "KeyboardInterrupt"},
    {SIGPORT_EUSER, "handler result", "UserError"},
    {SIGPORT_EUSER - 1, "handler result", "UserError"},
    {-1234, "handler result", "UserError"},
    {INT_MIN, "handler result", "UserError"},
    {-5, "unknown error", "UnknownError"},
    {-50, "unknown error", "UnknownError"},
    {-99, "unknown error", "UnknownError"},
    {-101, "unknown error", "UnknownError"},
    {-999, "unknown error", "UnknownError"},
};

START_TEST(test_strerror) {
  const char *got = sigport_strerror(codes[_i].code);
  ck_assert_ptr_nonnull(got);
  ck_assert_msg(strcmp(got, codes[_i].message) == 0,
                "sigport_strerror(%d) is '%s', expected '%s'", codes[_i].code,
                got, codes[_i].message);
}
END_TEST

START_TEST(test_errname) {
  const char *got = sigport_errname(codes[_i].code);
  ck_assert_ptr_nonnull(got);
  ck_assert_msg(strcmp(got, codes[_i].name) == 0,
                "sigport_errname(%d) is '%s', expected '%s'", codes[_i].code,
                got, codes[_i].name);
}
END_TEST

START_TEST(test_version_format) {
  const char *v = sigport_version(), *p;
  int parts = 0;
  ck_assert_ptr_nonnull(v);
  for (p = v;; p++) {
    size_t digits = strspn(p, "0123456789");
    ck_assert_msg(digits > 0, "version '%s' is not N.N.N", v);
    p += digits;
    parts++;
    if (*p == '\0') break;
    ck_assert_msg(*p == '.', "version '%s' is not N.N.N", v);
  }
  ck_assert_msg(parts == 3, "version '%s' is not N.N.N", v);
  /* The same static string each time. */
  ck_assert_ptr_eq(sigport_version(), v);
}
END_TEST

START_TEST(test_backend_name) {
#if defined(_WIN32)
  ck_assert_str_eq(sigport_backend_name(), "win32");
#else
  ck_assert_str_eq(sigport_backend_name(), "posix");
#endif
}
END_TEST

/* ------------------------------------------------------------------ */
/* last_error and last_oserror                                         */
/* ------------------------------------------------------------------ */

/* What a fresh thread sees, then its own failures. */
struct fresh_thread {
  char first_message[256];
  int first_oserror;
  struct outcome addset, settable;
  int oserror_after;
};

static void fresh_thread_main(void *p) {
  struct fresh_thread *t = p;
  sigport_sigset_t set;
  snprintf(t->first_message, sizeof t->first_message, "%s",
           sigport_last_error());
  t->first_oserror = sigport_last_oserror();
  sigport_sigemptyset(&set);
  keep(&t->addset, sigport_sigaddset(&set, 188));
#if !defined(_WIN32)
  /* SIGKILL is refused before the main-thread check: SIGPORT_EOS with
     EINVAL, on this thread. */
  keep(&t->settable, sigport_signal(SIGKILL, handler, NULL, NULL));
#endif
  t->oserror_after = sigport_last_oserror();
}

START_TEST(test_last_error_is_thread_local) {
  struct fresh_thread t;
  sigport_sigset_t set;
  char expect[96];
  memset(&t, 0, sizeof t);
#if !defined(_WIN32)
  /* This thread's last OS error: ESRCH. */
  ck_assert_int_eq(sigport_kill(dead_pid(), SIGTERM), SIGPORT_EOS);
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
#endif
  sigport_sigemptyset(&set);
  SP_ASSERT_FAILS(sigport_sigaddset(&set, 177), SIGPORT_EVALUE, "177");
  snprintf(expect, sizeof expect, "signal number 177 out of range [1; %d]",
           SIGPORT_NSIG - 1);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), expect));

  run_in_thread(fresh_thread_main, &t);

  /* A new thread starts with nothing, whatever this one did. */
  ck_assert_str_eq(t.first_message, "");
  ck_assert_int_eq(t.first_oserror, 0);
  ASSERT_OUTCOME(t.addset, SIGPORT_EVALUE, "188");
  ck_assert_ptr_null(strstr(t.addset.message, "177"));
#if !defined(_WIN32)
  ASSERT_OUTCOME(t.settable, SIGPORT_EOS, "SIGKILL");
  ck_assert_int_eq(t.oserror_after, EINVAL);
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
#endif
  /* The other thread's failures left this thread's message alone. */
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), expect));
  ck_assert_ptr_null(strstr(sigport_last_error(), "188"));
}
END_TEST

START_TEST(test_success_keeps_last_error) {
  sigport_sigset_t set;
  char before[256];
  SP_ASSERT_FAILS(sigport_sigemptyset(NULL), SIGPORT_EVALUE, "set");
  snprintf(before, sizeof before, "%s", sigport_last_error());
  ck_assert_ptr_nonnull(strstr(before, "sigport_sigemptyset"));
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGPORT_SIGINT));
  ck_assert_int_eq(sigport_signum("SIGINT"), SIGPORT_SIGINT);
  ck_assert_str_eq(sigport_last_error(), before);
}
END_TEST

/* Messages name the bad value, and the range is computed from
   SIGPORT_NSIG. */
START_TEST(test_messages_name_the_value) {
  char expect[96];
  const char *desc = NULL;
  snprintf(expect, sizeof expect, "signal number 199 out of range [1; %d]",
           SIGPORT_NSIG - 1);
  ck_assert_int_eq(sigport_init(0), 0);
  SP_ASSERT_FAILS(sigport_signal(199, handler, NULL, NULL), SIGPORT_EVALUE,
                  expect);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_signal"));
  snprintf(expect, sizeof expect, "signal number -3 out of range [1; %d]",
           SIGPORT_NSIG - 1);
  SP_ASSERT_FAILS(sigport_raise(-3), SIGPORT_EVALUE, expect);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_raise"));
  snprintf(expect, sizeof expect, "signal number %d out of range [1; %d]",
           SIGPORT_NSIG, SIGPORT_NSIG - 1);
  SP_ASSERT_FAILS(sigport_getsignal(SIGPORT_NSIG, NULL), SIGPORT_EVALUE,
                  expect);
  SP_ASSERT_FAILS(sigport_strsignal(-7, &desc), SIGPORT_EVALUE, "-7");
  ck_assert_ptr_null(desc);
  SP_ASSERT_FAILS(sigport_signum("NOSUCHSIG"), SIGPORT_EVALUE,
                  "unknown signal name 'NOSUCHSIG'");
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0x10, NULL),
                  SIGPORT_EVALUE, "0x10");
#ifndef SIGPORT_SIGQUIT
  /* Signal 3 is in range, but not a signal here. */
  SP_ASSERT_FAILS(sigport_signal(3, handler, NULL, NULL), SIGPORT_EVALUE,
                  "signal number 3 is not a signal");
#endif
#ifdef SIGPORT_SIGKILL
  SP_ASSERT_FAILS(sigport_signal(SIGKILL, handler, NULL, NULL), SIGPORT_EOS,
                  "signal 9 (SIGKILL) cannot be caught or ignored");
  ck_assert_int_eq(sigport_last_oserror(), EINVAL);
  SP_ASSERT_FAILS(sigport_signal(SIGSTOP, SIGPORT_SIG_IGN, NULL, NULL),
                  SIGPORT_EOS, "SIGSTOP");
  ck_assert_int_eq(sigport_last_oserror(), EINVAL);
#endif
#if SIGPORT_HAVE_RTSIG
  {
    /* The C library's reserved real-time signals, as its sigfillset()
       leaves them out. */
    sigset_t all;
    int s;
    sigfillset(&all);
    for (s = 1; s < SIGPORT_NSIG; s++) {
      if (sigismember(&all, s) == 1) continue;
      snprintf(expect, sizeof expect, "signal %d is reserved", s);
      SP_ASSERT_FAILS(sigport_signal(s, handler, NULL, NULL), SIGPORT_EOS,
                      expect);
      ck_assert_int_eq(sigport_last_oserror(), EINVAL);
    }
  }
#endif
  sigport_shutdown();
}
END_TEST

START_TEST(test_eos_sets_last_oserror) {
  char expect[96];
#if defined(_WIN32)
  /* A process that existed and ended, with its handles closed: this
     executable, created suspended and terminated before it ran. */
  char path[MAX_PATH];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  DWORD pid;
  int rc;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  ck_assert_uint_gt(GetModuleFileNameA(NULL, path, sizeof path), 0);
  ck_assert(CreateProcessA(path, NULL, NULL, NULL, FALSE, CREATE_SUSPENDED,
                           NULL, NULL, &si, &pi));
  pid = pi.dwProcessId;
  ck_assert(TerminateProcess(pi.hProcess, 0));
  ck_assert_int_eq(WaitForSingleObject(pi.hProcess, 30000), WAIT_OBJECT_0);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  rc = sigport_kill(pid, 0);
  ck_assert_msg(rc == SIGPORT_EOS, "sigport_kill(%lu, 0) returned %d (%s)",
                (unsigned long)pid, rc, sigport_last_error());
  ck_assert_int_ne(sigport_last_oserror(), 0);
  snprintf(expect, sizeof expect, "sigport_kill(%lu, 0)", (unsigned long)pid);
  ck_assert_msg(strstr(sigport_last_error(), expect) != NULL,
                "message '%s' does not name '%s'", sigport_last_error(),
                expect);
#else
  pid_t pid = dead_pid();
  char text[128];
  SP_ASSERT_OK(sigport_init(0));
  snprintf(expect, sizeof expect, "sigport_kill(%ld, %d)", (long)pid, SIGTERM);
  SP_ASSERT_FAILS(sigport_kill(pid, SIGTERM), SIGPORT_EOS, expect);
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
  snprintf(text, sizeof text, "[Errno %d] %s", ESRCH, strerror(ESRCH));
  ck_assert_msg(strstr(sigport_last_error(), text) != NULL,
                "message '%s' does not contain '%s'", sigport_last_error(),
                text);
  /* The existence check fails the same way. */
  snprintf(expect, sizeof expect, "sigport_kill(%ld, 0)", (long)pid);
  SP_ASSERT_FAILS(sigport_kill(pid, 0), SIGPORT_EOS, expect);
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
  /* A later SIGPORT_EVALUE keeps the last OS error. */
  SP_ASSERT_FAILS(sigport_kill(pid, -1), SIGPORT_EVALUE, "-1");
  ck_assert_int_eq(sigport_last_oserror(), ESRCH);
  sigport_shutdown();
#endif
}
END_TEST

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_calls_before_init) {
  sigport_socket_t old = (sigport_socket_t)7;
  sigport_handler_t before, after;
#if SIGPORT_HAVE_SIGACTION
  struct sigaction raw_before, raw_after;
  raw_action(SIGTERM, &raw_before);
#endif
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &before));
  SP_ASSERT_FAILS(sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL),
                  SIGPORT_EVALUE, "not initialised");
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_signal"));
  SP_ASSERT_FAILS(sigport_signal(SIGPORT_SIGTERM, SIGPORT_SIG_IGN, NULL, NULL),
                  SIGPORT_EVALUE, "not initialised");
  SP_ASSERT_FAILS(sigport_dispatch(), SIGPORT_EVALUE, "not initialised");
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_dispatch"));
  SP_ASSERT_FAILS(sigport_pause(), SIGPORT_EVALUE, "not initialised");
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_pause"));
  SP_ASSERT_FAILS(sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, &old),
                  SIGPORT_EVALUE, "not initialised");
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_set_wakeup_fd"));
  ck_assert_msg(old == (sigport_socket_t)7, "old was written");
  /* What works without it. */
  ck_assert_int_eq(sigport_pending(), 0);
  ck_assert_msg(sigport_get_wakeup_fd() == SIGPORT_NO_SOCKET,
                "a wakeup fd without sigport_init()");
  sigport_shutdown(); /* not initialised: does nothing */
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &after));
  ck_assert_ptr_eq((void *)(uintptr_t)after.fn, (void *)(uintptr_t)before.fn);
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGTERM, &raw_after);
  assert_same_action(&raw_before, &raw_after, SIGTERM);
#endif
  ck_assert_int_eq(initialised_here(), 0);
}
END_TEST

START_TEST(test_init_bad_flags) {
  sigport_handler_t h;
#if SIGPORT_HAVE_SIGACTION
  struct sigaction pipe_before, pipe_after;
  raw_action(SIGPIPE, &pipe_before);
#endif
  SP_ASSERT_FAILS(sigport_init(0x80), SIGPORT_EVALUE, "0x80");
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_init"));
  ck_assert_int_eq(initialised_here(), 0);
  /* Known flags beside an unknown one: nothing is applied, and only the
     unknown one is named. */
  SP_ASSERT_FAILS(sigport_init(SIGPORT_INIT_DEFAULTS | 0x40), SIGPORT_EVALUE,
                  "unknown flags 0x40");
  ck_assert_int_eq(initialised_here(), 0);
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGINT, &h));
  ck_assert_msg(h.fn != sigport_default_int_handler,
                "SIGINT got the default handler from a failed init");
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGPIPE, &pipe_after);
  assert_same_action(&pipe_before, &pipe_after, SIGPIPE);
#endif
  SP_ASSERT_FAILS(sigport_init(0xffffffffu), SIGPORT_EVALUE, "0xfffffffc");
  ck_assert_int_eq(initialised_here(), 0);
  /* Flags are checked while initialised as well, and such a call is not
     counted. */
  SP_ASSERT_OK(sigport_init(0));
  SP_ASSERT_FAILS(sigport_init(0x4), SIGPORT_EVALUE, "0x4");
  ck_assert_int_eq(initialised_here(), 1);
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 0);
}
END_TEST

START_TEST(test_init_is_counted) {
  sigport_handler_t before, h;
#if SIGPORT_HAVE_SIGACTION
  struct sigaction raw_before, raw_after, pipe_before, pipe_after;
  raw_action(SIGTERM, &raw_before);
  raw_action(SIGPIPE, &pipe_before);
#endif
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &before));
  SP_ASSERT_OK(sigport_init(0));
  /* A second call returns 0 and its flags are ignored. */
  SP_ASSERT_OK(sigport_init(SIGPORT_INIT_DEFAULTS));
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGINT, &h));
  ck_assert_msg(h.fn != sigport_default_int_handler,
                "the flags of a second sigport_init() were applied");
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGPIPE, &pipe_after);
  assert_same_action(&pipe_before, &pipe_after, SIGPIPE);
#endif
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL));

  /* One shutdown of two: still initialised, handler in place. */
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 1);
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &h));
  ck_assert_msg(h.fn == handler, "the handler went with the first shutdown");
  ck_assert_int_eq(sigport_signal(SIGPORT_SIGTERM, other_handler, NULL, &h), 0);
  ck_assert_msg(h.fn == handler, "previous is not the first handler");

  /* The second: not initialised, the disposition put back. */
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 0);
  SP_ASSERT_FAILS(sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL),
                  SIGPORT_EVALUE, "not initialised");
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &h));
  ck_assert_ptr_eq((void *)(uintptr_t)h.fn, (void *)(uintptr_t)before.fn);
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGTERM, &raw_after);
  assert_same_action(&raw_before, &raw_after, SIGTERM);
#endif

  /* A third does nothing, and sigport can start again. */
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 0);
  SP_ASSERT_OK(sigport_init(0));
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL));
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 0);
}
END_TEST

/* Another thread's sigport_init() and sigport_shutdown() while this one is
   the main thread. */
struct intruder {
  struct outcome init;
};

static void intruder_main(void *p) {
  struct intruder *t = p;
  keep(&t->init, sigport_init(0));
  /* Not the main thread: this does nothing, and must not undo the main
     thread's init. */
  sigport_shutdown();
}

START_TEST(test_init_from_other_thread) {
  struct intruder t;
  memset(&t, 0, sizeof t);
  SP_ASSERT_OK(sigport_init(0));
  run_in_thread(intruder_main, &t);
  ASSERT_OUTCOME(t.init, SIGPORT_EVALUE, "main thread");
  ck_assert_ptr_nonnull(strstr(t.init.message, "sigport_init"));
  /* Still initialised once: one shutdown ends it. */
  ck_assert_int_eq(initialised_here(), 1);
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL));
  sigport_shutdown();
  ck_assert_int_eq(initialised_here(), 0);
}
END_TEST

/* A thread that initialises sigport becomes its main thread, and this one
   is then a thread like any other. */
struct owner {
  atomic_int phase;
  struct outcome init, dispatch, shutdown_check;
};

static void wait_phase(atomic_int *phase, int value) {
  double deadline = sp_now_ms() + 20000.0;
  while (atomic_load(phase) < value && sp_now_ms() < deadline) sp_sleep_ms(1);
}

static void owner_main(void *p) {
  struct owner *t = p;
  keep(&t->init, sigport_init(0));
  keep(&t->dispatch, sigport_dispatch());
  atomic_store(&t->phase, 1);
  wait_phase(&t->phase, 2);
  sigport_shutdown();
  keep(&t->shutdown_check, sigport_dispatch());
}

#if defined(_WIN32)
static unsigned __stdcall owner_thread(void *p) {
  owner_main(p);
  return 0;
}
#else
static void *owner_thread(void *p) {
  owner_main(p);
  return NULL;
}
#endif

START_TEST(test_init_makes_calling_thread_main) {
  struct owner t;
  struct outcome dispatch, signal, init;
#if defined(_WIN32)
  HANDLE th;
#else
  pthread_t th;
#endif
  memset(&t, 0, sizeof t);
  atomic_init(&t.phase, 0);
#if defined(_WIN32)
  th = (HANDLE)_beginthreadex(NULL, 0, owner_thread, &t, 0, NULL);
  ck_assert_ptr_nonnull(th);
#else
  ck_assert_int_eq(pthread_create(&th, NULL, owner_thread, &t), 0);
#endif
  wait_phase(&t.phase, 1);
  /* Record first, release the owner, and only then assert, so that a
     failure never leaves the owner waiting. */
  keep(&dispatch, sigport_dispatch());
  keep(&signal, sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL));
  keep(&init, sigport_init(0));
  atomic_store(&t.phase, 2);
#if defined(_WIN32)
  ck_assert_int_eq(WaitForSingleObject(th, INFINITE), WAIT_OBJECT_0);
  CloseHandle(th);
#else
  ck_assert_int_eq(pthread_join(th, NULL), 0);
#endif
  ck_assert_int_eq(atomic_load(&t.phase), 2);
  ASSERT_OUTCOME(t.init, 0, "");
  ASSERT_OUTCOME(t.dispatch, 0, "");
  ASSERT_OUTCOME(dispatch, SIGPORT_EVALUE, "main thread");
  ASSERT_OUTCOME(signal, SIGPORT_EVALUE, "main thread");
  ASSERT_OUTCOME(init, SIGPORT_EVALUE, "main thread");
  /* The owner's shutdown ended it. */
  ASSERT_OUTCOME(t.shutdown_check, SIGPORT_EVALUE, "not initialised");
  ck_assert_int_eq(initialised_here(), 0);
}
END_TEST

/* The calls that work only on the main thread, from another thread. */
struct worker {
  struct outcome signal, signal_dfl, dispatch, pause, wakeup;
  sigport_socket_t old;
};

static void worker_main(void *p) {
  struct worker *t = p;
  keep(&t->signal, sigport_signal(SIGPORT_SIGTERM, handler, NULL, NULL));
  keep(&t->signal_dfl,
       sigport_signal(SIGPORT_SIGTERM, SIGPORT_SIG_DFL, NULL, NULL));
  keep(&t->dispatch, sigport_dispatch());
  keep(&t->pause, sigport_pause());
  keep(&t->wakeup, sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, &t->old));
}

START_TEST(test_wrong_thread) {
  struct worker t;
  sigport_handler_t h;
#if SIGPORT_HAVE_SIGACTION
  struct sigaction raw_before, raw_after;
#endif
  memset(&t, 0, sizeof t);
  t.old = (sigport_socket_t)7;
  SP_ASSERT_OK(sigport_init(0));
  SP_ASSERT_OK(sigport_signal(SIGPORT_SIGTERM, other_handler, NULL, NULL));
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGTERM, &raw_before);
#endif
  run_in_thread(worker_main, &t);
  ASSERT_OUTCOME(t.signal, SIGPORT_EVALUE,
                 "sigport_signal only works in the main thread");
  ASSERT_OUTCOME(t.signal_dfl, SIGPORT_EVALUE, "main thread");
  ASSERT_OUTCOME(t.dispatch, SIGPORT_EVALUE,
                 "sigport_dispatch only works in the main thread");
  ASSERT_OUTCOME(t.pause, SIGPORT_EVALUE,
                 "sigport_pause only works in the main thread");
  ASSERT_OUTCOME(t.wakeup, SIGPORT_EVALUE,
                 "sigport_set_wakeup_fd only works in the main thread");
  ck_assert_msg(t.old == (sigport_socket_t)7, "old was written");
  /* Nothing changed. */
  SP_ASSERT_OK(sigport_getsignal(SIGPORT_SIGTERM, &h));
  ck_assert_msg(h.fn == other_handler, "the handler changed");
#if SIGPORT_HAVE_SIGACTION
  raw_action(SIGTERM, &raw_after);
  assert_same_action(&raw_before, &raw_after, SIGTERM);
#endif
  /* This thread's own message is not the worker's. */
  ck_assert_ptr_null(strstr(sigport_last_error(), "main thread"));
  sigport_shutdown();
}
END_TEST

Suite *sp_suite_errors(void) {
  Suite *s = suite_create("errors");
  TCase *tc = tcase_create("codes");
  int ncodes = (int)(sizeof codes / sizeof codes[0]);
  tcase_add_test(tc, test_codes_are_fixed);
  tcase_add_loop_test(tc, test_strerror, 0, ncodes);
  tcase_add_loop_test(tc, test_errname, 0, ncodes);
  tcase_add_test(tc, test_version_format);
  tcase_add_test(tc, test_backend_name);
  suite_add_tcase(s, tc);

  tc = tcase_create("last_error");
  tcase_set_timeout(tc, 30);
  tcase_add_checked_fixture(tc, setup, teardown);
  sp_tcase_add_thread_test(tc, test_last_error_is_thread_local);
  tcase_add_test(tc, test_success_keeps_last_error);
  tcase_add_test(tc, test_messages_name_the_value);
  tcase_add_test(tc, test_eos_sets_last_oserror);
  suite_add_tcase(s, tc);

  tc = tcase_create("lifecycle");
  tcase_set_timeout(tc, 30);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_calls_before_init);
  tcase_add_test(tc, test_init_bad_flags);
  tcase_add_test(tc, test_init_is_counted);
  sp_tcase_add_thread_test(tc, test_init_from_other_thread);
  sp_tcase_add_thread_test(tc, test_init_makes_calling_thread_main);
  sp_tcase_add_thread_test(tc, test_wrong_thread);
  suite_add_tcase(s, tc);
  return s;
}
