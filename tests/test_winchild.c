/*
 * test_winchild.c: child watches on Windows (SPEC 6.3), with real child
 * processes: this executable again, as `--child winchild COMMAND ...`,
 * which ends with the exit code it is given, at once or when its stdin
 * reaches end of file (the test closes the pipe's other end). Every report
 * is awaited on sigport_child_fd() with select(), whose time limit only
 * bounds a failure.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

#define CTRL_C_EXIT_CODE 0xC000013AUL
/* How long a wait for something that must happen may take before the
   test fails. */
#define EVENT_MS 30000

/* ------------------------------------------------------------------ */
/* The child programs                                                  */
/* ------------------------------------------------------------------ */

/* Reads stdin until end of file (or an error). */
static void read_to_eof(void) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  char buf[64];
  DWORD n;
  while (ReadFile(in, buf, (DWORD)sizeof buf, &n, NULL) && n > 0) {
  }
}

/* parent: starts `wait 0` with the same stdin, writes its pid and a
   newline to stdout, then waits for end of file and for it. */
static int child_parent(void) {
  char exe[MAX_PATH], cmdline[MAX_PATH + 64];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD n = GetModuleFileNameA(NULL, exe, sizeof exe), written;
  int len;
  if (n == 0 || n >= sizeof exe) return 20;
  /* The grandchild must not hold the pipe that the test reads. */
  if (!SetHandleInformation(out, HANDLE_FLAG_INHERIT, 0)) return 21;
  snprintf(cmdline, sizeof cmdline, "\"%s\" --child winchild wait 0", exe);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = GetStdHandle(STD_ERROR_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  if (!CreateProcessA(NULL, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si,
                      &pi))
    return 22;
  len = snprintf(cmdline, sizeof cmdline, "%lu\n",
                 (unsigned long)pi.dwProcessId);
  if (!WriteFile(out, cmdline, (DWORD)len, &written, NULL) ||
      written != (DWORD)len)
    return 23;
  read_to_eof();
  (void)WaitForSingleObject(pi.hProcess, EVENT_MS);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return 0;
}

/* sigport_tests --child winchild COMMAND ...
   exit CODE   ends at once with exit code CODE (C notation: 0xC000013A)
   wait CODE   reads stdin to its end, then ends with exit code CODE
   parent      see child_parent */
int sp_child_winchild(int argc, char **argv) {
  const char *cmd = argc >= 2 ? argv[1] : "";
  if (strcmp(cmd, "exit") == 0 && argc >= 3)
    ExitProcess((UINT)strtoul(argv[2], NULL, 0));
  if (strcmp(cmd, "wait") == 0 && argc >= 3) {
    read_to_eof();
    ExitProcess((UINT)strtoul(argv[2], NULL, 0));
  }
  if (strcmp(cmd, "parent") == 0) return child_parent();
  fprintf(stderr, "child winchild: bad arguments\n");
  return 2;
}

/* ------------------------------------------------------------------ */
/* Running them                                                        */
/* ------------------------------------------------------------------ */

/* A child, and the write end of its stdin: closing it ends a `wait`. */
struct kid {
  PROCESS_INFORMATION pi;
  HANDLE release;
};

static HANDLE nul_handle(void) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE h = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                         OPEN_EXISTING, 0, NULL);
  ck_assert_msg(h != INVALID_HANDLE_VALUE, "NUL: error %lu", GetLastError());
  return h;
}

/* Starts `this.exe --child winchild ARGS`, its stdin a pipe of its own,
   its stdout `out` (NUL if NULL), its stderr NUL. */
static void kid_start(struct kid *k, const char *args, HANDLE out) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  char exe[MAX_PATH], cmdline[MAX_PATH + 128];
  STARTUPINFOA si;
  HANDLE nul = nul_handle(), in;
  DWORD n = GetModuleFileNameA(NULL, exe, sizeof exe);
  ck_assert_msg(n > 0 && n < sizeof exe, "GetModuleFileName failed");
  ck_assert(CreatePipe(&in, &k->release, &sa, 0));
  /* Only the child's end is inherited, or no child would see the end of
     its input while another one lives. */
  ck_assert(SetHandleInformation(k->release, HANDLE_FLAG_INHERIT, 0));
  snprintf(cmdline, sizeof cmdline, "\"%s\" --child winchild %s", exe, args);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in;
  si.hStdOutput = out != NULL ? out : nul;
  si.hStdError = nul;
  ck_assert_msg(CreateProcessA(NULL, cmdline, NULL, NULL, TRUE, 0, NULL,
                               NULL, &si, &k->pi),
                "CreateProcess(%s): error %lu", cmdline, GetLastError());
  CloseHandle(in);
  CloseHandle(nul);
}

static sigport_pid_t kid_pid(const struct kid *k) {
  return (sigport_pid_t)k->pi.dwProcessId;
}

/* Lets a `wait` end. */
static void kid_release(struct kid *k) {
  if (k->release != NULL) CloseHandle(k->release);
  k->release = NULL;
}

/* Waits until the kid has ended (our handle keeps its exit code). */
static void kid_wait(const struct kid *k) {
  ck_assert_msg(WaitForSingleObject(k->pi.hProcess, EVENT_MS) ==
                    WAIT_OBJECT_0,
                "child %lu did not end", k->pi.dwProcessId);
}

/* Releases the kid, waits for its end, closes its handles, and returns
   its exit code. */
static DWORD kid_end(struct kid *k) {
  DWORD code = 0;
  kid_release(k);
  kid_wait(k);
  ck_assert(GetExitCodeProcess(k->pi.hProcess, &code));
  CloseHandle(k->pi.hThread);
  CloseHandle(k->pi.hProcess);
  return code;
}

/* What a child callback saw. record() counts into the struct its arg
   points to, and returns its `result`. */
struct report {
  int calls;
  sigport_child_status_t st;
  int result;
};

static int record(const sigport_child_status_t *st, void *arg) {
  struct report *r = arg;
  r->calls++;
  r->st = *st;
  return r->result;
}

/* Asserts that r saw exactly one report: pid exited with `code`. */
static void assert_report(const struct report *r, sigport_pid_t pid,
                          DWORD code) {
  ck_assert_msg(r->calls == 1, "pid %lu: %d reports", (unsigned long)pid,
                r->calls);
  ck_assert_uint_eq(r->st.pid, pid);
  ck_assert_int_eq(r->st.exited, 1);
  ck_assert_msg((DWORD)r->st.code == code,
                "pid %lu: code 0x%lx, expected 0x%lx", (unsigned long)pid,
                (unsigned long)(DWORD)r->st.code, (unsigned long)code);
  ck_assert_int_eq(r->st.signo, 0);
  ck_assert_int_eq(r->st.core, 0);
  ck_assert_int_eq(r->st.lost, 0);
}

/* select() on the child fd for at most ms: 1 if it is readable, 0 if
   not. */
static int fd_ready(int ms) {
  sigport_socket_t fd = sigport_child_fd();
  struct timeval tv;
  fd_set rd;
  int n;
  ck_assert_msg(fd != SIGPORT_NO_SOCKET, "%s", sigport_last_error());
  FD_ZERO(&rd);
  FD_SET((SOCKET)fd, &rd);
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  n = select(0, &rd, NULL, NULL, &tv);
  ck_assert_msg(n >= 0, "select: error %d", WSAGetLastError());
  return n;
}

/* Waits on the child fd and dispatches until each of the n reports has
   been called. A wake with nothing to report is allowed now and then, not
   one for ever: the rounds are bounded. */
static void dispatch_until_reported(const struct report *r, size_t n) {
  size_t done = 0, i;
  int rounds = 0;
  for (;;) {
    for (done = 0, i = 0; i < n; i++) done += r[i].calls > 0;
    if (done == n) break;
    ck_assert_msg(rounds++ < (int)(2 * n + 2),
                  "%lu of %lu children reported after %d rounds",
                  (unsigned long)done, (unsigned long)n, rounds);
    ck_assert_msg(fd_ready(EVENT_MS) == 1,
                  "the child fd did not become readable: %lu of %lu "
                  "children reported",
                  (unsigned long)done, (unsigned long)n);
    SP_ASSERT_OK(sigport_dispatch());
  }
}

/* After every report: one more dispatch leaves nothing, the fd included. */
static void assert_settled(void) {
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(fd_ready(0), 0);
  ck_assert_int_eq(sigport_pending(), 0);
}

static void setup(void) { ck_assert_int_eq(sigport_init(0), 0); }

static void teardown(void) {
  int i;
  for (i = 0; i < 8 && sigport_pending(); i++) (void)sigport_dispatch();
  sigport_shutdown();
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

/* One child: its end makes the fd readable and the dispatch due; the
   dispatch that follows reports it, once, and empties the fd. */
START_TEST(test_one_child) {
  struct report r = {0};
  struct kid k;
  sigport_socket_t fd = sigport_child_fd();
  ck_assert_msg(fd != SIGPORT_NO_SOCKET, "%s", sigport_last_error());
  kid_start(&k, "wait 3", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  ck_assert(sigport_child_fd() == fd);
  ck_assert_int_eq(fd_ready(0), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(r.calls, 0);
  kid_release(&k);
  ck_assert_int_eq(fd_ready(EVENT_MS), 1);
  ck_assert_int_eq(sigport_pending(), 1);
  SP_ASSERT_OK(sigport_dispatch());
  assert_report(&r, kid_pid(&k), 3);
  ck_assert_int_eq(fd_ready(0), 0);
  ck_assert_int_eq(sigport_pending(), 0);
  SP_ASSERT_OK(sigport_dispatch());
  ck_assert_int_eq(r.calls, 1);
  /* The watch ended with its report. */
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k)), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert(sigport_child_fd() == fd);
  ck_assert_uint_eq(kid_end(&k), 3);
}
END_TEST

/* Exit codes come through whole, each once: the full DWORD, STILL_ACTIVE
   (259) too, since the code is read only once the process has ended. */
START_TEST(test_exit_codes) {
  static const DWORD codes[] = {0,   3,   255, 259, CTRL_C_EXIT_CODE,
                                0x80000000UL, 0xFFFFFFFFUL};
  enum { N = sizeof codes / sizeof codes[0] };
  struct report r[N + 1];
  struct kid k[N + 1];
  char args[32];
  size_t i;
  memset(r, 0, sizeof r);
  for (i = 0; i < N; i++) {
    snprintf(args, sizeof args, "wait 0x%lx", (unsigned long)codes[i]);
    kid_start(&k[i], args, NULL);
  }
  /* The last one is ended by TerminateProcess, as Ctrl+C's code. */
  kid_start(&k[N], "wait 0", NULL);
  for (i = 0; i <= N; i++)
    SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[i]), record, &r[i]));
  ck_assert_int_eq(fd_ready(0), 0);
  SP_ASSERT_OK(sigport_dispatch());
  for (i = 0; i <= N; i++) ck_assert_int_eq(r[i].calls, 0);
  for (i = 0; i < N; i++) kid_release(&k[i]);
  ck_assert(TerminateProcess(k[N].pi.hProcess, (UINT)CTRL_C_EXIT_CODE));
  dispatch_until_reported(r, N + 1);
  assert_settled();
  for (i = 0; i < N; i++) {
    assert_report(&r[i], kid_pid(&k[i]), codes[i]);
    ck_assert_uint_eq(kid_end(&k[i]), codes[i]);
  }
  assert_report(&r[N], kid_pid(&k[N]), CTRL_C_EXIT_CODE);
  ck_assert_uint_eq(kid_end(&k[N]), CTRL_C_EXIT_CODE);
  /* -1073741510: the same bits in an int. */
  ck_assert_int_eq(r[4].st.code, -1073741510);
  ck_assert_int_eq(r[6].st.code, -1);
}
END_TEST

/* Many children ending at once, their waits firing on several pool
   threads: each reported once, with its own code. */
#define MANY 24
START_TEST(test_many_children) {
  struct report r[MANY];
  struct kid k[MANY];
  char args[32];
  size_t i;
  memset(r, 0, sizeof r);
  for (i = 0; i < MANY; i++) {
    snprintf(args, sizeof args, "wait %lu", (unsigned long)(100 + i));
    kid_start(&k[i], args, NULL);
    SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[i]), record, &r[i]));
  }
  for (i = 0; i < MANY; i++) kid_release(&k[i]);
  dispatch_until_reported(r, MANY);
  assert_settled();
  for (i = 0; i < MANY; i++) {
    assert_report(&r[i], kid_pid(&k[i]), (DWORD)(100 + i));
    ck_assert_uint_eq(kid_end(&k[i]), 100 + i);
  }
}
END_TEST

/* A child that ended before it was watched is reported by the very next
   dispatch, and the fd is readable at once. */
START_TEST(test_ended_before_watch) {
  struct report r = {0};
  struct kid k;
  kid_start(&k, "exit 7", NULL);
  kid_wait(&k);
  ck_assert_int_eq(fd_ready(0), 0);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  ck_assert_int_eq(sigport_pending(), 1);
  ck_assert_int_eq(fd_ready(0), 1);
  SP_ASSERT_OK(sigport_dispatch());
  assert_report(&r, kid_pid(&k), 7);
  assert_settled();
  ck_assert_int_eq(r.calls, 1);
  ck_assert_uint_eq(kid_end(&k), 7);
}
END_TEST

/* A non-zero result stops the reports, as a handler's does; the rest
   come with the next dispatch. */
START_TEST(test_result_stops_reports) {
  struct report r[2];
  struct kid k[2];
  memset(r, 0, sizeof r);
  r[0].result = r[1].result = SIGPORT_EUSER;
  kid_start(&k[0], "exit 1", NULL);
  kid_start(&k[1], "exit 2", NULL);
  kid_wait(&k[0]);
  kid_wait(&k[1]);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[0]), record, &r[0]));
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[1]), record, &r[1]));
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER);
  ck_assert_int_eq(r[0].calls + r[1].calls, 1);
  ck_assert_int_eq(sigport_pending(), 1);
  ck_assert_int_eq(sigport_dispatch(), SIGPORT_EUSER);
  assert_report(&r[0], kid_pid(&k[0]), 1);
  assert_report(&r[1], kid_pid(&k[1]), 2);
  assert_settled();
  ck_assert_uint_eq(kid_end(&k[0]), 1);
  ck_assert_uint_eq(kid_end(&k[1]), 2);
}
END_TEST

/* A child's end wakes sigport_pause(), which reports it. */
START_TEST(test_wakes_pause) {
  struct report r = {0};
  struct kid k;
  kid_start(&k, "wait 9", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  kid_release(&k);
  SP_ASSERT_OK(sigport_pause());
  assert_report(&r, kid_pid(&k), 9);
  assert_settled();
  ck_assert_uint_eq(kid_end(&k), 9);
}
END_TEST

/* Watching works from any thread; the report comes on the main one. */
struct watch_job {
  sigport_pid_t pid;
  struct report *r;
  int rc;
};

static unsigned __stdcall watch_thread(void *arg) {
  struct watch_job *job = arg;
  job->rc = sigport_watch_child(job->pid, record, job->r);
  return 0;
}

START_TEST(test_watch_from_thread) {
  struct report r = {0};
  struct watch_job job;
  struct kid k;
  HANDLE t;
  kid_start(&k, "wait 11", NULL);
  job.pid = kid_pid(&k);
  job.r = &r;
  job.rc = 1;
  t = (HANDLE)_beginthreadex(NULL, 0, watch_thread, &job, 0, NULL);
  ck_assert(t != NULL);
  ck_assert(WaitForSingleObject(t, EVENT_MS) == WAIT_OBJECT_0);
  CloseHandle(t);
  ck_assert_int_eq(job.rc, 0);
  kid_release(&k);
  dispatch_until_reported(&r, 1);
  assert_report(&r, kid_pid(&k), 11);
  assert_settled();
  ck_assert_uint_eq(kid_end(&k), 11);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Refusals                                                            */
/* ------------------------------------------------------------------ */

static void assert_not_a_child(sigport_pid_t pid) {
  struct report r = {0};
  char needle[96];
  snprintf(needle, sizeof needle,
           "sigport_watch_child: pid %lu is not a child of this process",
           (unsigned long)pid);
  SP_ASSERT_FAILS(sigport_watch_child(pid, record, &r), SIGPORT_EOS, needle);
  ck_assert_int_eq(sigport_last_oserror(), ERROR_WAIT_NO_CHILDREN);
  /* Nothing changed. */
  SP_ASSERT_FAILS(sigport_unwatch_child(pid), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_int_eq(r.calls, 0);
}

/* This process, a grandchild (its parent is a child of ours, started by
   that child), and a pid that names no process are not children. */
START_TEST(test_not_a_child) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  struct report r = {0};
  char line[32] = {0};
  DWORD n, got = 0;
  HANDLE rd, wr, g;
  sigport_pid_t gpid;
  struct kid k;
  const sigport_pid_t none = 0x7FFFFFF0UL;
  assert_not_a_child((sigport_pid_t)GetCurrentProcessId());

  ck_assert(CreatePipe(&rd, &wr, &sa, 0));
  ck_assert(SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0));
  kid_start(&k, "parent", wr);
  CloseHandle(wr);
  while (got < sizeof line - 1 && memchr(line, '\n', got) == NULL &&
         ReadFile(rd, line + got, 1, &n, NULL) && n == 1)
    got++;
  line[got] = '\0';
  CloseHandle(rd);
  gpid = (sigport_pid_t)strtoul(line, NULL, 10);
  ck_assert_msg(gpid != 0, "no grandchild pid: '%s'", line);
  /* It lives (so the refusal is not for a pid that names nothing). */
  g = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)gpid);
  ck_assert_msg(g != NULL, "OpenProcess(%lu): error %lu",
                (unsigned long)gpid, GetLastError());
  ck_assert(WaitForSingleObject(g, 0) == WAIT_TIMEOUT);
  assert_not_a_child(gpid);
  /* Its parent is a child of ours. */
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  kid_release(&k);
  dispatch_until_reported(&r, 1);
  assert_report(&r, kid_pid(&k), 0);
  ck_assert(WaitForSingleObject(g, EVENT_MS) == WAIT_OBJECT_0);
  CloseHandle(g);
  ck_assert_uint_eq(kid_end(&k), 0);

  g = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)none);
  ck_assert_msg(g == NULL, "pid %lu exists", (unsigned long)none);
  assert_not_a_child(none);
  assert_settled();
}
END_TEST

/* A pid watched twice is SIGPORT_EVALUE; the first watch is untouched. */
START_TEST(test_watched_twice) {
  struct report r1 = {0}, r2 = {0};
  struct kid k;
  char needle[64];
  kid_start(&k, "wait 5", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r1));
  snprintf(needle, sizeof needle, "pid %lu is watched already",
           (unsigned long)kid_pid(&k));
  SP_ASSERT_FAILS(sigport_watch_child(kid_pid(&k), record, &r2),
                  SIGPORT_EVALUE, needle);
  kid_release(&k);
  dispatch_until_reported(&r1, 1);
  assert_report(&r1, kid_pid(&k), 5);
  assert_settled();
  ck_assert_int_eq(r2.calls, 0);
  ck_assert_uint_eq(kid_end(&k), 5);
}
END_TEST

START_TEST(test_any_not_available) {
  struct report r = {0};
  SP_ASSERT_FAILS(sigport_watch_child(SIGPORT_CHILD_ANY, record, &r),
                  SIGPORT_ENOTAVAIL,
                  "SIGPORT_CHILD_ANY is not available on Windows");
  SP_ASSERT_FAILS(sigport_unwatch_child(SIGPORT_CHILD_ANY), SIGPORT_EVALUE,
                  "SIGPORT_CHILD_ANY is not watched");
  ck_assert_int_eq(r.calls, 0);
}
END_TEST

/* Bad input changes nothing: the pid stays unwatched, and watching it
   properly then works. */
START_TEST(test_bad_input) {
  struct report r = {0};
  struct kid k;
  kid_start(&k, "wait 0", NULL);
  SP_ASSERT_FAILS(sigport_watch_child(kid_pid(&k), NULL, &r), SIGPORT_EVALUE,
                  "sigport_watch_child: fn must not be NULL");
  SP_ASSERT_FAILS(sigport_watch_child(0, record, &r), SIGPORT_EVALUE,
                  "sigport_watch_child: pid 0 is not a process id");
  SP_ASSERT_FAILS(sigport_unwatch_child(0), SIGPORT_EVALUE,
                  "sigport_unwatch_child: pid 0 is not a process id");
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k)), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_int_eq(fd_ready(0), 0);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  kid_release(&k);
  dispatch_until_reported(&r, 1);
  assert_report(&r, kid_pid(&k), 0);
  assert_settled();
  ck_assert_uint_eq(kid_end(&k), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Unwatching and shutdown                                             */
/* ------------------------------------------------------------------ */

/* Unwatched before its end: no report, though it ended and dispatches
   ran, while a child watched beside it is reported. */
START_TEST(test_unwatch_before_end) {
  struct report r[2];
  struct kid k[2];
  memset(r, 0, sizeof r);
  kid_start(&k[0], "wait 1", NULL);
  kid_start(&k[1], "wait 2", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[0]), record, &r[0]));
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k[1]), record, &r[1]));
  SP_ASSERT_OK(sigport_unwatch_child(kid_pid(&k[0])));
  kid_release(&k[0]);
  kid_wait(&k[0]);
  kid_release(&k[1]);
  dispatch_until_reported(&r[1], 1);
  assert_report(&r[1], kid_pid(&k[1]), 2);
  assert_settled();
  ck_assert_int_eq(r[0].calls, 0);
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k[0])), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_uint_eq(kid_end(&k[0]), 1);
  ck_assert_uint_eq(kid_end(&k[1]), 2);
}
END_TEST

/* Unwatched after its end was heard of, before the dispatch: no report,
   and the dispatch leaves the fd empty. */
START_TEST(test_unwatch_after_end) {
  struct report r = {0};
  struct kid k;
  kid_start(&k, "wait 4", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  kid_release(&k);
  ck_assert_int_eq(fd_ready(EVENT_MS), 1);
  SP_ASSERT_OK(sigport_unwatch_child(kid_pid(&k)));
  assert_settled();
  ck_assert_int_eq(r.calls, 0);
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k)), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_uint_eq(kid_end(&k), 4);
}
END_TEST

/* The last shutdown drops the watches; the calls refuse until init, and
   nothing of the old watch is reported after it. */
START_TEST(test_shutdown_drops_watches) {
  struct report r = {0};
  struct kid k;
  kid_start(&k, "wait 6", NULL);
  SP_ASSERT_OK(sigport_watch_child(kid_pid(&k), record, &r));
  sigport_shutdown();
  SP_ASSERT_FAILS(sigport_watch_child(kid_pid(&k), record, &r),
                  SIGPORT_EVALUE, "not initialised");
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k)), SIGPORT_EVALUE,
                  "not initialised");
  ck_assert(sigport_child_fd() == SIGPORT_NO_SOCKET);
  ck_assert_msg(strstr(sigport_last_error(), "not initialised") != NULL,
                "%s", sigport_last_error());
  kid_release(&k);
  kid_wait(&k);
  SP_ASSERT_OK(sigport_init(0));
  assert_settled();
  ck_assert_int_eq(r.calls, 0);
  SP_ASSERT_FAILS(sigport_unwatch_child(kid_pid(&k)), SIGPORT_EVALUE,
                  "is not watched");
  ck_assert_uint_eq(kid_end(&k), 6);
}
END_TEST

Suite *sp_suite_winchild(void) {
  Suite *s = suite_create("winchild");
  TCase *tc = tcase_create("winchild");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_one_child);
  tcase_add_test(tc, test_exit_codes);
  tcase_add_test(tc, test_many_children);
  tcase_add_test(tc, test_ended_before_watch);
  tcase_add_test(tc, test_result_stops_reports);
  tcase_add_test(tc, test_wakes_pause);
  tcase_add_test(tc, test_watch_from_thread);
  tcase_add_test(tc, test_not_a_child);
  tcase_add_test(tc, test_watched_twice);
  tcase_add_test(tc, test_any_not_available);
  tcase_add_test(tc, test_bad_input);
  tcase_add_test(tc, test_unwatch_before_end);
  tcase_add_test(tc, test_unwatch_after_end);
  tcase_add_test(tc, test_shutdown_drops_watches);
  suite_add_tcase(s, tc);
  return s;
}
