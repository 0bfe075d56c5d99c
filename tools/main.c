/*
 * main.c: the `sigport` command-line tool.
 *
 *   sigport list [--json]
 *   sigport info SIGNAL [--json]
 *   sigport send SIGNAL [--] PID...
 *   sigport watch [--count N] [--timeout SECONDS] [--json] [--queue]
 *                 SIGNAL...
 *   sigport run [OPTION...] [--] COMMAND [ARG...]
 *   sigport mask [--json] [PID]
 *
 * It uses the library through its public header only. Exit status: 0 on
 * success, 1 when the system refused (the message says what could not be
 * done and why), 2 for a usage error (the message names the bad value),
 * and for `run` the child's status (run's own failures are 125). The
 * manual page sigport(1) describes every command; the --help texts say the
 * same in short.
 *
 * cli.c parses the command line without side effects; this file hands the
 * parsed command line to the command's file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static const char help_main[] =
    "Usage: sigport COMMAND [ARG...]\n"
    "\n"
    "Signals, from the command line, with the sigport library.\n"
    "\n"
    "  list [--json]                 every signal of this platform\n"
    "  info SIGNAL [--json]          one signal\n"
    "  send SIGNAL [--] PID...       send a signal (0: does it exist?)\n"
    "  watch [--count N] [--timeout SECONDS] [--json] [--queue] SIGNAL...\n"
    "                                print the signals this process gets\n"
    "  run [OPTION...] [--] COMMAND [ARG...]\n"
    "                                run a command, pass signals on to it\n"
    "  mask [--json] [PID]           pending, blocked, ignored, caught\n"
    "\n"
    "  --help                        this text; COMMAND --help for one\n"
    "  --version [--json]            the library's version and backend\n"
    "\n"
    "SIGNAL is a name or a number: TERM, SIGTERM, term and 15 are the same.\n"
    "Exit status: 0 success, 1 the system refused, 2 usage error; for run,\n"
    "the child's status, or 125 when run itself failed. See sigport(1).\n";

/* The help text of a command. */
static const char *help_text(enum sigport_cli_command command) {
  switch (command) {
  case SIGPORT_CLI_LIST: return help_list;
  case SIGPORT_CLI_INFO: return help_info;
  case SIGPORT_CLI_SEND: return help_send;
  case SIGPORT_CLI_WATCH: return help_watch;
  case SIGPORT_CLI_RUN: return help_run;
  case SIGPORT_CLI_MASK: return help_mask;
  default: return help_main;
  }
}

/* Does what the command line asks. */
static int execute(const struct sigport_cli *cli) {
  if (cli->help || cli->command == SIGPORT_CLI_HELP) {
    fputs(help_text(cli->command), stdout);
    return finish_output(EXIT_OK);
  }
  switch (cli->command) {
  case SIGPORT_CLI_VERSION:
    if (cli->json) {
      fputs("{\"version\":", stdout);
      json_string(stdout, sigport_version());
      fputs(",\"backend\":", stdout);
      json_string(stdout, sigport_backend_name());
      fputs("}\n", stdout);
    } else {
      printf("sigport %s (backend %s)\n", sigport_version(),
             sigport_backend_name());
    }
    return finish_output(EXIT_OK);
  case SIGPORT_CLI_LIST: return cmd_list(cli);
  case SIGPORT_CLI_INFO: return cmd_info(cli);
  case SIGPORT_CLI_SEND: return cmd_send(cli);
  case SIGPORT_CLI_WATCH: return cmd_watch(cli);
  case SIGPORT_CLI_RUN: return cmd_run(cli);
  case SIGPORT_CLI_MASK: return cmd_mask(cli);
  default: return complain(EXIT_REFUSED, "unknown command");
  }
}

int main(int argc, char **argv) {
  struct sigport_cli cli;
  size_t longest = 0, size;
  char *err;
  int i, rc;
  /* Room for a message that quotes the longest word in full. */
  for (i = 0; i < argc; i++)
    if (strlen(argv[i]) > longest) longest = strlen(argv[i]);
  size = longest + 256;
  err = malloc(size);
  if (err == NULL) return complain(EXIT_REFUSED, "out of memory");
  rc = sigport_cli_parse(argc, argv, &cli, err, size);
  /* run's usage errors are its own failures: 125, never a child's 2. */
  if (rc != 0 && cli.command == SIGPORT_CLI_RUN) rc = SIGPORT_CLI_RUN_FAILED;
  if (rc != 0) complain(rc, "%s", err);
  free(err);
  if (rc != 0) return rc;
  return execute(&cli);
}
