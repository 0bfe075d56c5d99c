/*
 * run_win.c: `sigport run` on Windows. The child is started suspended in
 * a process group of its own and in a job object, then resumed, so that
 * every process it starts is in the job too: the timeout and the kill end
 * the whole tree, as a process group's signal does on POSIX. INT and
 * BREAK reach the child's group as CTRL_BREAK_EVENT. (run.c is the POSIX
 * one.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>
#include <windows.h>

#include "tool.h"

/* run looks at sigport_pending() every few milliseconds, which is one
   atomic load; a console event is handled within that slice. */
#define WIN_SLICE_MS 20

/* The exit code of the processes that --kill-after ends: the number POSIX
   gives SIGKILL, which Windows does not have. */
#define WIN_KILL_CODE 9

const char help_run[] =
    "Usage: sigport run [OPTION...] [--] COMMAND [ARG...]\n"
    "\n"
    "Runs COMMAND as a child in a process group and a job object of its\n"
    "own, passes signals on to it, and ends the way it ended.\n"
    "\n"
    "  --timeout DURATION    at the timeout end every process of the job\n"
    "                        (INT or BREAK: send CTRL_BREAK_EVENT to the\n"
    "                        child's process group instead), and exit 124\n"
    "                        once the child ended (0 or inf: no timeout)\n"
    "  -s, --signal SIGNAL   the signal of the timeout (default TERM): the\n"
    "                        exit code the job's processes get\n"
    "  -k, --kill-after DURATION\n"
    "                        with --timeout: end every process of the job\n"
    "                        (exit code 9) this long after SIGNAL if the\n"
    "                        child still runs (0: never)\n"
    "  --foreground          the timeout ends the child alone, not the job\n"
    "  --preserve-status     exit with the child's exit code after a\n"
    "                        timeout too, not 124\n"
    "  --forward LIST        pass on only these signals, comma-separated;\n"
    "                        the others are held (default: INT, TERM, BREAK)\n"
    "  --no-forward          hold every signal: pass none on, and stay up\n"
    "  --group               a TERM passed on ends the whole job, not the\n"
    "                        child alone\n"
    "  -v, --verbose         say each signal sent, on stderr\n"
    "\n"
    "DURATION is a number of seconds, with fractions or an exponent, and\n"
    "an optional unit s, m, h or d; inf is none.\n"
    "\n"
    "INT and BREAK are passed on as CTRL_BREAK_EVENT, to the child's\n"
    "process group, which ignores CTRL_C_EVENT; TERM ends the child (or,\n"
    "with --group, the job) with exit code 15. If run itself is ended, the\n"
    "job closes and every process in it ends. Processes left when the child\n"
    "ends by itself are not ended. --init is not available.\n"
    "\n"
    "Exit status: 124 when the timeout fired (unless --preserve-status);\n"
    "otherwise the child's exit code; 125 when run itself failed, usage\n"
    "errors included; 126 when COMMAND cannot be run, 127 when it is not\n"
    "found.\n";

struct child {
  sigport_pid_t pid; /* 0 once it has ended */
  const struct sigport_cli_run *opts;
  HANDLE process;
  HANDLE job; /* holds the child and everything it starts */
};

/* A message for -v. */
static void say(const struct child *c, const char *what, const char *why) {
  if (c->opts->verbose)
    complain(0, "run: %s (%s)", what, why);
}

/* Ends every process of the job with exit code `code`. */
static void end_job(struct child *c, UINT code, const char *why) {
  char what[96];
  snprintf(what, sizeof what, "ending the job of pid %lu with exit code %u",
           (unsigned long)c->pid, code);
  say(c, what, why);
  (void)TerminateJobObject(c->job, code);
}

/* Sends CTRL_BREAK_EVENT to the child's process group. */
static void break_group(struct child *c, const char *why) {
  char what[96];
  snprintf(what, sizeof what,
           "sending CTRL_BREAK_EVENT to process group %lu",
           (unsigned long)c->pid);
  say(c, what, why);
  (void)sigport_kill(c->pid, SIGPORT_CTRL_BREAK_EVENT);
}

/* Passes a signal on to the child: INT and BREAK as CTRL_BREAK_EVENT, to
   its process group; TERM and the others end the child, or the job with
   --group. */
static int on_forwarded(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  char what[96];
  (void)info;
  if (c->pid == 0 || !c->opts->forward[signum]) return 0;
  if (signum == SIGPORT_SIGINT || signum == SIGPORT_SIGBREAK) {
    break_group(c, "passed on");
  } else if (c->opts->group) {
    end_job(c, (UINT)signum, "passed on");
  } else {
    snprintf(what, sizeof what, "sending %s to pid %lu",
             sigport_signame(signum), (unsigned long)c->pid);
    say(c, what, "passed on");
    (void)sigport_kill(c->pid, signum);
  }
  return 0;
}

/* What the timeout does: the timeout's signal, to the job or the child. */
static void on_timeout(struct child *c) {
  int sig = c->opts->timeout_signal;
  char what[96];
  if (sig == SIGPORT_SIGINT || sig == SIGPORT_SIGBREAK) {
    break_group(c, "timeout");
  } else if (c->opts->foreground) {
    snprintf(what, sizeof what, "ending pid %lu with exit code %d",
             (unsigned long)c->pid, sig);
    say(c, what, "timeout");
    (void)TerminateProcess(c->process, (UINT)sig);
  } else {
    end_job(c, (UINT)sig, "timeout");
  }
}

/* Installs run's handlers for the forwarded and the guarded signals.
   Returns 0 or an exit status. */
static int install_run_handlers(struct child *c) {
  int s, rc;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!c->opts->forward[s] && !c->opts->guard[s]) continue;
    rc = sigport_signal(s, on_forwarded, c, NULL);
    if (rc != 0) return run_library_failed(rc);
  }
  return 0;
}

/* Takes what is still pending, without passing it on, and gives the
   signals back. The job is closed without ending what is left in it: a
   process the child left behind when it ended by itself goes on, as on
   POSIX. */
static void run_cleanup(struct child *c) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION none;
  c->pid = 0;
  (void)sigport_dispatch();
  sigport_shutdown();
  if (c->job != NULL) {
    memset(&none, 0, sizeof none);
    (void)SetInformationJobObject(c->job, JobObjectExtendedLimitInformation,
                                  &none, sizeof none);
    CloseHandle(c->job);
    c->job = NULL;
  }
}

/* The job that holds the child: when its last handle closes, run's own
   included when run is ended, every process in it ends. */
static HANDLE make_job(void) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
  HANDLE job = CreateJobObjectA(NULL, NULL);
  if (job == NULL) return NULL;
  memset(&limits, 0, sizeof limits);
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation,
                               &limits, sizeof limits)) {
    DWORD err = GetLastError();
    CloseHandle(job);
    SetLastError(err);
    return NULL;
  }
  return job;
}

/* Appends s to the growing buffer *buf. Returns 0, or -1 when out of
   memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  size_t n) {
  if (*len + n + 1 > *cap) {
    size_t want = (*len + n + 1) * 2;
    char *p = realloc(*buf, want);
    if (p == NULL) return -1;
    *buf = p;
    *cap = want;
  }
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

/* Quotes one argument the way the C runtime's command-line parser reads it
   back: backslashes are literal unless they precede a quote. */
static int append_quoted(char **buf, size_t *len, size_t *cap,
                         const char *arg) {
  const char *p;
  if (*arg != '\0' && strpbrk(arg, " \t\n\v\"") == NULL)
    return append(buf, len, cap, arg, strlen(arg));
  if (append(buf, len, cap, "\"", 1) != 0) return -1;
  for (p = arg;; p++) {
    size_t slashes = 0, k;
    while (*p == '\\') {
      slashes++;
      p++;
    }
    if (*p == '\0' || *p == '"') {
      /* Backslashes before a quote, or before the closing one, double. */
      for (k = 0; k < slashes * 2; k++)
        if (append(buf, len, cap, "\\", 1) != 0) return -1;
      if (*p == '\0') break;
      if (append(buf, len, cap, "\\\"", 2) != 0) return -1;
    } else {
      for (k = 0; k < slashes; k++)
        if (append(buf, len, cap, "\\", 1) != 0) return -1;
      if (append(buf, len, cap, p, 1) != 0) return -1;
    }
  }
  return append(buf, len, cap, "\"", 1);
}

/* The text of a Windows error code. */
static const char *win_error_text(DWORD err, char *buf, DWORD size) {
  DWORD n = FormatMessageA(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
      0, buf, size, NULL);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
                   buf[n - 1] == '.'))
    buf[--n] = '\0';
  if (n == 0) snprintf(buf, size, "error %lu", (unsigned long)err);
  return buf;
}

/* Says that a Windows call of run's failed, and returns run's status. */
static int win_failed(const char *what, DWORD err) {
  char text[256];
  return complain(EXIT_RUN_FAILED, "run: %s: %s", what,
                  win_error_text(err, text, sizeof text));
}

/* Starts the child, suspended, in the job, then lets it run. Returns 0 or
   an exit status. */
static int start_child(struct child *c, const struct sigport_cli *cli,
                       char *cmdline) {
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  char text[256];
  DWORD err;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(NULL, cmdline, NULL, NULL, TRUE,
                      CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED, NULL, NULL,
                      &si, &pi)) {
    err = GetLastError();
    complain(EXIT_RUN_FAILED, "run: cannot run '%s': %s", cli->args[0],
             win_error_text(err, text, sizeof text));
    return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND
               ? EXIT_NOT_FOUND
               : EXIT_CANNOT_RUN;
  }
  if (!AssignProcessToJobObject(c->job, pi.hProcess)) {
    err = GetLastError();
    (void)TerminateProcess(pi.hProcess, EXIT_RUN_FAILED);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return win_failed("cannot put the child in a job object", err);
  }
  c->pid = pi.dwProcessId;
  c->process = pi.hProcess;
  if (ResumeThread(pi.hThread) == (DWORD)-1) {
    err = GetLastError();
    (void)TerminateJobObject(c->job, EXIT_RUN_FAILED);
    CloseHandle(pi.hThread);
    return win_failed("cannot start the child", err);
  }
  CloseHandle(pi.hThread);
  return 0;
}

int cmd_run(const struct sigport_cli *cli) {
  const struct sigport_cli_run *o = &cli->run;
  struct child c;
  char *cmdline = NULL;
  size_t len = 0, cap = 0;
  int64_t deadline, kill_at = -1;
  DWORD code = EXIT_RUN_FAILED;
  int rc, i, timed_out = 0;
  if (o->init)
    return complain(EXIT_RUN_FAILED, "run: --init is not available on "
                                     "Windows, where a process adopts no "
                                     "orphans");
  for (i = 0; i < cli->nargs; i++) {
    if ((i > 0 && append(&cmdline, &len, &cap, " ", 1) != 0) ||
        append_quoted(&cmdline, &len, &cap, cli->args[i]) != 0) {
      free(cmdline);
      return complain(EXIT_RUN_FAILED, "run: out of memory");
    }
  }
  memset(&c, 0, sizeof c);
  c.opts = o;
  c.job = make_job();
  if (c.job == NULL) {
    free(cmdline);
    return win_failed("cannot make a job object", GetLastError());
  }
  rc = sigport_init(0);
  if (rc == 0) rc = install_run_handlers(&c);
  else rc = run_library_failed(rc);
  if (rc == 0) rc = start_child(&c, cli, cmdline);
  free(cmdline);
  if (rc != 0) {
    if (c.process != NULL) CloseHandle(c.process);
    run_cleanup(&c);
    return rc;
  }
  deadline = o->timeout > 0 ? now_us() + duration_us(o->timeout) : -1;
  for (;;) {
    int64_t next = timed_out ? kill_at : deadline;
    int ms = ms_until(next);
    DWORD slice = (DWORD)(ms < 0 || ms > WIN_SLICE_MS ? WIN_SLICE_MS : ms);
    if (WaitForSingleObject(c.process, slice) == WAIT_OBJECT_0) break;
    if (sigport_pending()) (void)sigport_dispatch();
    if (deadline >= 0 && !timed_out && now_us() >= deadline) {
      timed_out = 1;
      on_timeout(&c);
      if (o->kill_after > 0)
        kill_at = now_us() + duration_us(o->kill_after);
    } else if (timed_out && kill_at >= 0 && now_us() >= kill_at) {
      kill_at = -1;
      end_job(&c, WIN_KILL_CODE, "kill-after");
    }
  }
  if (!GetExitCodeProcess(c.process, &code)) code = EXIT_RUN_FAILED;
  CloseHandle(c.process);
  run_cleanup(&c);
  fflush(stdout);
  if (timed_out && !o->preserve_status) return EXIT_TIMEDOUT;
  return (int)code;
}
