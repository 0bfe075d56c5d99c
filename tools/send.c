/*
 * send.c: `sigport send`.
 */
#include <stdio.h>

#if defined(_WIN32)
#include <windows.h>
#endif

#include "tool.h"

/* ------------------------------------------------------------------ */
/* send                                                                */
/* ------------------------------------------------------------------ */

const char help_send[] =
    "Usage: sigport send SIGNAL [--] PID...\n"
    "\n"
    "Sends SIGNAL to each PID with sigport_kill(). Signal 0 only checks\n"
    "that the process exists. On POSIX a negative PID names a process\n"
    "group (-1234: the group 1234) and -1 every process the caller may\n"
    "signal, as with kill(2). A negative PID is never an option, so\n"
    "`sigport send TERM -1234` and `sigport send TERM -- -1234` are the\n"
    "same; after --, every word is a PID (or SIGNAL, when -- comes first).\n"
    "On Windows CTRL_C_EVENT and CTRL_BREAK_EVENT go to the console\n"
    "process group PID (CTRL_C_EVENT only to 0, every process on the\n"
    "console); any other signal ends the process with that number as its\n"
    "exit code.\n"
    "\n"
    "Exit status: 0 when every send worked, 1 when the system refused one,\n"
    "2 when a signal cannot go to a PID at all (Windows: CTRL_C_EVENT to a\n"
    "PID other than 0).\n";

/* How a message names where signum went: "1234", "process group 1234",
   ... */
static void describe_target(long pid, int signum, char *buf, size_t size) {
#if SIGPORT_HAVE_CONSOLE_EVENTS
  if (signum == SIGPORT_CTRL_C_EVENT || signum == SIGPORT_CTRL_BREAK_EVENT) {
    snprintf(buf, size, "process group %ld", pid);
    return;
  }
#else
  (void)signum;
  if (pid == -1) {
    snprintf(buf, size, "every process it may signal");
    return;
  }
  if (pid == 0) {
    snprintf(buf, size, "sigport's own process group");
    return;
  }
  if (pid < 0) {
    snprintf(buf, size, "process group %ld", -pid);
    return;
  }
#endif
  snprintf(buf, size, "%ld", pid);
}

/* sigport_kill(pid, signum) failed with rc: says so, returns the status. */
static int send_failed(int rc, long pid, int signum) {
  const char *name = signum == 0 ? "signal 0" : sigport_signame(signum);
  char target[64];
  describe_target(pid, signum, target, sizeof target);
#if SIGPORT_HAVE_CONSOLE_EVENTS
  if (rc == SIGPORT_EVALUE && signum == SIGPORT_CTRL_C_EVENT)
    return complain(EXIT_USAGE,
                    "cannot send CTRL_C_EVENT to %s: it goes only to "
                    "process group 0, every process of the console",
                    target);
#endif
#if defined(_WIN32)
  /* What OpenProcess() says of a process that does not exist, and
     sigport_kill() of one that has ended. */
  if (rc == SIGPORT_EOS && sigport_last_oserror() == ERROR_INVALID_PARAMETER)
    return complain(EXIT_REFUSED, "cannot send %s to %s: No such process",
                    name, target);
#endif
  return cannot(rc, "send %s to %s", name, target);
}

/* The parser checked every PID before any signal goes out. */
int cmd_send(const struct sigport_cli *cli) {
  int i, status = EXIT_OK;
  long pid = 0;
  for (i = 0; i < cli->nargs; i++) {
    int rc;
    (void)sigport_cli_long(cli->args[i], SIGPORT_CLI_PID_MIN,
                           SIGPORT_CLI_PID_MAX, &pid);
    rc = sigport_kill((sigport_pid_t)pid, cli->signum);
    if (rc < 0) {
      int failed = send_failed(rc, pid, cli->signum);
      if (status == EXIT_OK) status = failed;
    }
  }
  return status;
}
