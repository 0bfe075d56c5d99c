/*
 * run_win.c: `sigport run` on Windows. The child gets a process group of
 * its own; INT and BREAK reach it as CTRL_BREAK_EVENT, and the timeout
 * ends it with TerminateProcess. (run.c is the POSIX one, and holds the
 * help text.)
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

struct child {
  sigport_pid_t pid; /* 0 once it has ended */
  const struct sigport_cli_run *opts;
  HANDLE process;
};

/* Passes a signal on to the child: INT and BREAK as CTRL_BREAK_EVENT, to
   its process group, which ignores CTRL_C_EVENT. */
static int on_forwarded(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  (void)info;
  if (c->pid == 0 || !c->opts->forward[signum]) return 0;
  if (signum == SIGPORT_SIGINT || signum == SIGPORT_SIGBREAK)
    (void)sigport_kill(c->pid, SIGPORT_CTRL_BREAK_EVENT);
  else
    (void)sigport_kill(c->pid, signum);
  return 0;
}

/* Installs run's handlers for the forwarded and the guarded signals.
   Returns 0 or an exit status. */
static int install_run_handlers(struct child *c) {
  int s, rc;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!c->opts->forward[s] && !c->opts->guard[s]) continue;
    rc = sigport_signal(s, on_forwarded, c, NULL);
    if (rc != 0) return library_failed(rc);
  }
  return 0;
}

/* Takes what is still pending, without passing it on, and gives the
   signals back. */
static void run_cleanup(struct child *c) {
  c->pid = 0;
  (void)sigport_dispatch();
  sigport_shutdown();
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

int cmd_run(const struct sigport_cli *cli) {
  const struct sigport_cli_run *o = &cli->run;
  struct child c;
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  char *cmdline = NULL, text[256];
  size_t len = 0, cap = 0;
  double deadline;
  DWORD code = 1;
  int rc, i, timed_out = 0;
  if (o->init)
    return complain(EXIT_USAGE, "run: --init is not available on Windows, "
                                "where a process adopts no orphans");
  for (i = 0; i < cli->nargs; i++) {
    if ((i > 0 && append(&cmdline, &len, &cap, " ", 1) != 0) ||
        append_quoted(&cmdline, &len, &cap, cli->args[i]) != 0) {
      free(cmdline);
      return complain(EXIT_REFUSED, "run: out of memory");
    }
  }
  memset(&c, 0, sizeof c);
  c.opts = o;
  rc = sigport_init(0);
  if (rc != 0) {
    free(cmdline);
    return library_failed(rc);
  }
  if ((rc = install_run_handlers(&c)) != 0) {
    sigport_shutdown();
    free(cmdline);
    return rc;
  }
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(NULL, cmdline, NULL, NULL, TRUE,
                      CREATE_NEW_PROCESS_GROUP, NULL, NULL, &si, &pi)) {
    DWORD err = GetLastError();
    free(cmdline);
    run_cleanup(&c);
    complain(EXIT_REFUSED, "run: CreateProcess '%s': %s", cli->args[0],
             win_error_text(err, text, sizeof text));
    return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND
               ? EXIT_NOT_FOUND
               : EXIT_CANNOT_RUN;
  }
  free(cmdline);
  CloseHandle(pi.hThread);
  c.pid = pi.dwProcessId;
  c.process = pi.hProcess;
  deadline = o->timeout > 0 ? now_seconds() + o->timeout : -1;
  for (;;) {
    int ms = ms_until(deadline);
    DWORD slice = (DWORD)(ms < 0 || ms > WIN_SLICE_MS ? WIN_SLICE_MS : ms);
    if (WaitForSingleObject(pi.hProcess, slice) == WAIT_OBJECT_0) break;
    if (sigport_pending()) (void)sigport_dispatch();
    if (deadline >= 0 && !timed_out && now_seconds() >= deadline) {
      timed_out = 1;
      TerminateProcess(pi.hProcess, EXIT_TIMEDOUT);
    }
  }
  if (!GetExitCodeProcess(pi.hProcess, &code)) code = EXIT_REFUSED;
  CloseHandle(pi.hProcess);
  run_cleanup(&c);
  fflush(stdout);
  if (timed_out) return EXIT_TIMEDOUT;
  return (int)code;
}
