/*
 * cli.h: the command line of the `sigport` tool, parsed without side
 * effects.
 *
 * sigport_cli_parse() reads the words of a command line into a struct
 * sigport_cli. It does not print, exit, send signals, start processes or
 * keep memory; it only calls sigport's name and set functions. The tool
 * then does what the struct says, and a test or a fuzz target can call it
 * on any input.
 */
#ifndef SIGPORT_TOOL_CLI_H
#define SIGPORT_TOOL_CLI_H

#include <stddef.h>

#include "sigport.h"

/* The exit status of a usage error; `run`'s are SIGPORT_CLI_RUN_FAILED. */
#define SIGPORT_CLI_USAGE 2

/* The exit status of run's own failures, usage errors included, as
   coreutils timeout's: never one a child commonly exits with. */
#define SIGPORT_CLI_RUN_FAILED 125

/* Durations (--timeout, --kill-after, --grace, watch --timeout) above
   this many seconds, `inf` included, are this: about 31 years, a
   deadline never reached. */
#define SIGPORT_CLI_DURATION_MAX 1e9

enum sigport_cli_command {
  SIGPORT_CLI_HELP,    /* the main help text */
  SIGPORT_CLI_VERSION, /* --version */
  SIGPORT_CLI_LIST,
  SIGPORT_CLI_INFO,
  SIGPORT_CLI_SEND,
  SIGPORT_CLI_WATCH,
  SIGPORT_CLI_RUN,
  SIGPORT_CLI_MASK
};

/* run's options. */
struct sigport_cli_run {
  double timeout;    /* seconds; 0: no timeout */
  double kill_after; /* seconds; 0: never */
  int timeout_signal;
  int init;            /* --init: reap every orphan, end the descendants left */
  double grace;        /* --init: seconds between TERM and KILL; 0: KILL at once */
  int group;           /* --group: forwarded signals go to the child's group */
  int foreground;      /* --foreground: the timeout's signals go to the child
                          alone, not to its process group */
  int preserve_status; /* --preserve-status: the child's status after a
                          timeout too, not 124 */
  int verbose;         /* -v, --verbose: each signal sent, on stderr */
  unsigned char forward[SIGPORT_NSIG]; /* passed on to the child */
  unsigned char guard[SIGPORT_NSIG];   /* caught but not passed on (held) */
};

/* watch's options. */
struct sigport_cli_watch {
  unsigned long count;      /* --count; 0: no limit */
  double timeout;           /* seconds; -1: no timeout */
  int queue;                /* --queue: every delivery with its value */
  sigport_sigset_t signals; /* at least one */
};

/* A parsed command line. Pointers point into the argv given to the
   parser. */
struct sigport_cli {
  enum sigport_cli_command command;
  int help;   /* 1: print the command's help text and do nothing else */
  int json;   /* list, info, watch, mask, --version: --json */
  int signum; /* info: the signal (> 0); send: the signal (0 allowed) */
  /* send: the PIDs, each a decimal integer in [SIGPORT_CLI_PID_MIN;
     SIGPORT_CLI_PID_MAX]; run: COMMAND and its arguments, followed by
     argv's NULL */
  char **args;
  int nargs;
  struct sigport_cli_watch watch;
  struct sigport_cli_run run;
  const char *mask_pid; /* mask: the PID as given, or NULL for none */
  long mask_pid_value;  /* mask: its value, in [1; 0x7fffffff] */
};

/* Parses argv[0..argc-1] (argv[0] is the program's name; argv[argc] must
   be NULL) into *out. Returns 0, or SIGPORT_CLI_USAGE with the message the
   tool prints after "sigport: " in err (NUL-terminated, truncated to
   errlen; err may be NULL when errlen is 0). A message quotes at most one
   word of argv, in full, and adds fewer than 128 characters to it. */
int sigport_cli_parse(int argc, char **argv, struct sigport_cli *out,
                      char *err, size_t errlen);

/* Parses a decimal integer in [lo; hi] into *out: an optional '-' and
   digits, nothing else (no '+', no white space, not empty). Every number
   of the command line is read with it. Returns 0, or -1 when text is not
   one. */
int sigport_cli_long(const char *text, long lo, long hi, long *out);

/* The PIDs of `send` are decimal integers in this range. */
#if defined(_WIN32)
#define SIGPORT_CLI_PID_MIN 0L
#else
#define SIGPORT_CLI_PID_MIN (-0x7fffffffL)
#endif
#define SIGPORT_CLI_PID_MAX 0x7fffffffL

#endif
