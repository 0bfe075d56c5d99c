/*
 * send.c: `sigport send`.
 */
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
      int failed = library_failed(rc);
      if (status == EXIT_OK) status = failed;
    }
  }
  return status;
}
