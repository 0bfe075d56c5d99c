/*
 * cli.c: the parsing of the `sigport` tool's command line, without side
 * effects (see cli.h). Portable C11: the same code on every platform.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a usage message goes. */
struct msg {
  char *text;
  size_t size;
};

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

static int usage(struct msg *m, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Writes the message and returns SIGPORT_CLI_USAGE. */
static int usage(struct msg *m, const char *fmt, ...) {
  va_list ap;
  if (m->size == 0) return SIGPORT_CLI_USAGE;
  va_start(ap, fmt);
  if (vsnprintf(m->text, m->size, fmt, ap) < 0) m->text[0] = '\0';
  va_end(ap);
  m->text[m->size - 1] = '\0';
  return SIGPORT_CLI_USAGE;
}

static int is_help(const char *arg) {
  return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Matches argv[*i] against the option `name` that takes a value, given as
   "--name VALUE" or "--name=VALUE". Returns 0 when it is another argument,
   1 with *value set (and *i on the value's word), or -1 after saying that
   the value is missing. */
static int match_value(struct msg *m, int argc, char **argv, int *i,
                       const char *name, const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) return 0;
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return 1;
  }
  if (arg[n] != '\0') return 0;
  if (*i + 1 >= argc) {
    usage(m, "option '%s' needs a value", name);
    return -1;
  }
  *i += 1;
  *value = argv[*i];
  return 1;
}

/* 1 for a number below SIGRTMIN that is no signal here because the C
   library keeps it for itself (32 and 33 with glibc): one that
   sigport_valid_signals() leaves out. */
static int is_reserved(long number) {
  sigport_sigset_t valid;
  return number > 0 && number < sigport_sigrtmin() &&
         sigport_valid_signals(&valid) == 0 &&
         sigport_sigismember(&valid, (int)number) == 0;
}

/* Parses a signal as sigport_signum() accepts it ("TERM", "SIGTERM",
   "term", "15"). A word that does not start with a letter is a number,
   read as every number of the tool is (sigport_cli_long()): "+15" and
   " 15" are no signals, whatever sigport_signum() makes of them. Signal 0
   only where allow_zero. Returns the number, or -1 after saying which
   value is wrong. */
static int parse_signal(struct msg *m, const char *text, int allow_zero) {
  long number = 0;
  int signum, letter = (text[0] >= 'A' && text[0] <= 'Z') ||
                       (text[0] >= 'a' && text[0] <= 'z');
  if (!letter && sigport_cli_long(text, 0, 0x7fffffffL, &number) != 0) {
    usage(m, "unknown signal '%s'", text);
    return -1;
  }
  signum = sigport_signum(text);
  if (signum < 0) {
    if (is_reserved(number))
      usage(m, "signal %ld is reserved by the C library", number);
    else
      usage(m, "unknown signal '%s'", text);
    return -1;
  }
  if (signum == 0 && !allow_zero) {
    usage(m, "invalid signal '%s': 0 is not a signal", text);
    return -1;
  }
  return signum;
}

/* Parses a duration in seconds as coreutils `timeout` reads one: a
   non-negative decimal number (fractions and exponents allowed) with an
   optional unit s, m, h or d, or `inf`/`infinity`. A value above
   SIGPORT_CLI_DURATION_MAX (infinity included) becomes that maximum, a
   deadline never reached. Returns 0, or -1 after naming the bad value and
   its option. */
static int parse_seconds(struct msg *m, const char *text, const char *option,
                         double *out) {
  char *end = (char *)text;
  double v = 0;
  /* strtod() would also take leading spaces, a sign, hexadecimal and nan:
     a duration starts with a digit, a point, or the i of inf. */
  if ((*text >= '0' && *text <= '9') || *text == '.' || *text == 'i' ||
      *text == 'I') {
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) goto bad;
    v = strtod(text, &end);
  }
  if (end != text && *end != '\0' && end[1] == '\0') {
    switch (*end) {
    case 's': end++; break;
    case 'm': v *= 60; end++; break;
    case 'h': v *= 3600; end++; break;
    case 'd': v *= 86400; end++; break;
    default: break;
    }
  }
  if (end == text || *end != '\0' || isnan(v) || v < 0) goto bad;
  *out = v > SIGPORT_CLI_DURATION_MAX ? SIGPORT_CLI_DURATION_MAX : v;
  return 0;
bad:
  usage(m, "invalid time '%s' for %s", text, option);
  return -1;
}

/* 1 when text is a number as the tool writes them: an optional '-' and
   decimal digits, with nothing before, between or after them. strtol()
   alone would also take a '+' and leading white space. */
static int is_plain_integer(const char *text) {
  const char *p = text[0] == '-' ? text + 1 : text;
  if (*p == '\0') return 0;
  for (; *p != '\0'; p++)
    if (*p < '0' || *p > '9') return 0;
  return 1;
}

int sigport_cli_long(const char *text, long lo, long hi, long *out) {
  char *end;
  long v;
  if (!is_plain_integer(text)) return -1;
  errno = 0;
  v = strtol(text, &end, 10);
  if (*end != '\0' || errno != 0 || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* ------------------------------------------------------------------ */
/* The commands                                                        */
/* ------------------------------------------------------------------ */

/* Each parser gets the command's words, argv[0] being the command's name,
   and returns 0 or SIGPORT_CLI_USAGE. --help wins over what follows it,
   not over an error before it. */

static int parse_list(struct msg *m, int argc, char **argv,
                      struct sigport_cli *out) {
  int i;
  for (i = 1; i < argc; i++) {
    if (is_help(argv[i])) {
      out->help = 1;
      return 0;
    }
    if (strcmp(argv[i], "--json") == 0)
      out->json = 1;
    else if (argv[i][0] == '-')
      return usage(m, "list: unknown option '%s'", argv[i]);
    else
      return usage(m, "list: unexpected argument '%s'", argv[i]);
  }
  return 0;
}

static int parse_info(struct msg *m, int argc, char **argv,
                      struct sigport_cli *out) {
  const char *which = NULL;
  int i, options = 1;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options && is_help(arg)) {
      out->help = 1;
      return 0;
    }
    if (options && strcmp(arg, "--json") == 0)
      out->json = 1;
    else if (options && strcmp(arg, "--") == 0)
      options = 0;
    else if (options && arg[0] == '-' && arg[1] == '-')
      return usage(m, "info: unknown option '%s'", arg);
    else if (which == NULL)
      which = arg;
    else
      return usage(m, "info: unexpected argument '%s'", arg);
  }
  if (which == NULL) return usage(m, "info: missing SIGNAL");
  out->signum = parse_signal(m, which, 0);
  return out->signum < 0 ? SIGPORT_CLI_USAGE : 0;
}

/* send [--] SIGNAL [--] PID...: a word that starts with '-' and a letter
   or a second '-' is an option until "--", which may come before SIGNAL
   or after it. A negative PID (a process group) is never an option, so
   it needs no "--". From the first PID on, every word is a PID. */
static int parse_send(struct msg *m, int argc, char **argv,
                      struct sigport_cli *out) {
  const char *signal = NULL;
  int i, options = 1;
  long pid;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int option = arg[0] == '-' && (arg[1] == '-' ||
                                   (arg[1] >= 'A' && arg[1] <= 'Z') ||
                                   (arg[1] >= 'a' && arg[1] <= 'z'));
    if (options && is_help(arg)) {
      out->help = 1;
      return 0;
    }
    if (options && strcmp(arg, "--") == 0) {
      options = 0;
    } else if (options && option) {
      return usage(m, "send: unknown option '%s'", arg);
    } else if (signal == NULL) {
      signal = arg;
    } else {
      break;
    }
  }
  if (signal == NULL) return usage(m, "send: missing SIGNAL");
  out->signum = parse_signal(m, signal, 1);
  if (out->signum < 0) return SIGPORT_CLI_USAGE;
  if (i >= argc) return usage(m, "send: missing PID");
  out->args = argv + i;
  out->nargs = argc - i;
  /* Every PID is checked before any signal goes out. */
  for (; i < argc; i++) {
    if (options && is_help(argv[i])) {
      out->help = 1;
      return 0;
    }
    if (sigport_cli_long(argv[i], SIGPORT_CLI_PID_MIN, SIGPORT_CLI_PID_MAX,
                         &pid) != 0)
      return usage(m, "invalid pid '%s'", argv[i]);
  }
  return 0;
}

static int parse_watch(struct msg *m, int argc, char **argv,
                       struct sigport_cli *out) {
  struct sigport_cli_watch *w = &out->watch;
  const char *value;
  long count;
  int i, s, rc, nsig = 0, options = 1;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options && is_help(arg)) {
      out->help = 1;
      return 0;
    }
    if (options &&
        (rc = match_value(m, argc, argv, &i, "--count", &value)) != 0) {
      if (rc < 0) return SIGPORT_CLI_USAGE;
      if (sigport_cli_long(value, 1, 0x7fffffffL, &count) != 0)
        return usage(m, "invalid count '%s' for --count", value);
      w->count = (unsigned long)count;
    } else if (options && (rc = match_value(m, argc, argv, &i, "--timeout",
                                            &value)) != 0) {
      if (rc < 0 || parse_seconds(m, value, "--timeout", &w->timeout) != 0)
        return SIGPORT_CLI_USAGE;
    } else if (options && strcmp(arg, "--json") == 0) {
      out->json = 1;
    } else if (options && strcmp(arg, "--queue") == 0) {
      w->queue = 1;
    } else if (options && strcmp(arg, "--") == 0) {
      options = 0;
    } else if (options && arg[0] == '-' && arg[1] == '-') {
      return usage(m, "watch: unknown option '%s'", arg);
    } else {
      if ((s = parse_signal(m, arg, 0)) < 0) return SIGPORT_CLI_USAGE;
      if (sigport_sigaddset(&w->signals, s) != 0)
        return usage(m, "cannot watch '%s': not a signal here", arg);
      nsig++;
    }
  }
  if (nsig == 0) return usage(m, "watch: missing SIGNAL");
  return 0;
}

#if defined(_WIN32)
/* Windows: the signals a console delivers. */
static int forwarded_by_default(int s) {
  return s == SIGPORT_SIGINT || s == SIGPORT_SIGTERM || s == SIGPORT_SIGBREAK;
}
#else
/* The signals that run handles itself, and that no --forward list names:
   the child's end, and job control (run stops and resumes its child and
   itself, SPEC §8). Returns why, or NULL for another signal. */
static const char *handled_by_run(int s) {
  if (s == SIGPORT_SIGCHLD) return "run reaps its child itself";
  if (s == SIGPORT_SIGTSTP || s == SIGPORT_SIGTTIN || s == SIGPORT_SIGTTOU ||
      s == SIGPORT_SIGCONT)
    return "run passes job control on itself";
  return NULL;
}

/* POSIX: every signal that can be caught, except those run handles itself
   and the faults (SEGV, BUS, FPE, ILL, TRAP, SYS), whose handler would
   hide a crash of run's own. */
static int forwarded_by_default(int s) {
  if (sigport_catchable(s) != 1 || handled_by_run(s) != NULL) return 0;
  switch (s) {
  case SIGPORT_SIGSEGV:
  case SIGPORT_SIGFPE:
  case SIGPORT_SIGILL:
#ifdef SIGPORT_SIGBUS
  case SIGPORT_SIGBUS:
#endif
#ifdef SIGPORT_SIGTRAP
  case SIGPORT_SIGTRAP:
#endif
#ifdef SIGPORT_SIGSYS
  case SIGPORT_SIGSYS:
#endif
    return 0;
  default: return 1;
  }
}
#endif

/* Parses a comma-separated list of signals into r->forward. Returns 0 or
   -1 after naming the bad entry. */
static int parse_forward_list(struct msg *m, const char *list,
                              struct sigport_cli_run *r) {
  char item[64];
  const char *p = list;
  memset(r->forward, 0, sizeof r->forward);
  if (*p == '\0') {
    usage(m, "invalid signal list '' for --forward");
    return -1;
  }
  while (*p != '\0') {
    size_t n = strcspn(p, ",");
    int s;
    if (n == 0 || n >= sizeof item || (p[n] == ',' && p[n + 1] == '\0')) {
      usage(m, "invalid signal list '%s' for --forward", list);
      return -1;
    }
    memcpy(item, p, n);
    item[n] = '\0';
    if ((s = parse_signal(m, item, 0)) < 0) return -1;
    if (s >= SIGPORT_NSIG || sigport_catchable(s) != 1) {
      usage(m, "cannot forward '%s': %s cannot be caught", item,
            sigport_signame(s));
      return -1;
    }
#if !defined(_WIN32)
    if (handled_by_run(s) != NULL) {
      usage(m, "cannot forward '%s': %s", item, handled_by_run(s));
      return -1;
    }
#endif
    r->forward[s] = 1;
    p += n;
    if (*p == ',') p++;
  }
  return 0;
}

/* Matches argv[*i] against the short option `name` ("-s") that takes a
   value, given as "-s VALUE" or "-sVALUE". Returns as match_value(). */
static int match_short(struct msg *m, int argc, char **argv, int *i,
                       const char *name, const char **value) {
  const char *arg = argv[*i];
  if (arg[0] != name[0] || arg[1] != name[1]) return 0;
  if (arg[2] != '\0') {
    *value = arg + 2;
    return 1;
  }
  if (*i + 1 >= argc) {
    usage(m, "option '%s' needs a value", name);
    return -1;
  }
  *i += 1;
  *value = argv[*i];
  return 1;
}

/* Matches the long option `name` or its short form `brief` (NULL: none). */
static int match_either(struct msg *m, int argc, char **argv, int *i,
                        const char *name, const char *brief,
                        const char **value) {
  int rc = match_value(m, argc, argv, i, name, value);
  if (rc == 0 && brief != NULL) rc = match_short(m, argc, argv, i, brief, value);
  return rc;
}

static int parse_run(struct msg *m, int argc, char **argv,
                     struct sigport_cli *out) {
  struct sigport_cli_run *r = &out->run;
  const char *value;
  int i, rc, s, grace_given = 0, timeout_given = 0, kill_given = 0;
  int list_given = 0, hold = 0;
  r->timeout_signal = SIGPORT_SIGTERM;
  r->grace = 5;
  for (s = 1; s < SIGPORT_NSIG; s++) r->forward[s] = (unsigned char)forwarded_by_default(s);
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (is_help(arg)) {
      out->help = 1;
      return 0;
    }
    if ((rc = match_value(m, argc, argv, &i, "--timeout", &value)) != 0) {
      if (rc < 0 || parse_seconds(m, value, "--timeout", &r->timeout) != 0)
        return SIGPORT_CLI_USAGE;
      timeout_given = 1;
    } else if ((rc = match_either(m, argc, argv, &i, "--kill-after", "-k",
                                  &value)) != 0) {
      if (rc < 0 ||
          parse_seconds(m, value, "--kill-after", &r->kill_after) != 0)
        return SIGPORT_CLI_USAGE;
      kill_given = 1;
    } else if ((rc = match_either(m, argc, argv, &i, "--signal", "-s",
                                  &value)) != 0) {
      if (rc < 0 || (r->timeout_signal = parse_signal(m, value, 0)) < 0)
        return SIGPORT_CLI_USAGE;
    } else if ((rc = match_value(m, argc, argv, &i, "--forward", &value)) !=
               0) {
      if (rc < 0 || parse_forward_list(m, value, r) != 0)
        return SIGPORT_CLI_USAGE;
      list_given = 1;
    } else if ((rc = match_value(m, argc, argv, &i, "--grace", &value)) !=
               0) {
      if (rc < 0 || parse_seconds(m, value, "--grace", &r->grace) != 0)
        return SIGPORT_CLI_USAGE;
      grace_given = 1;
    } else if (strcmp(arg, "--init") == 0) {
      r->init = 1;
    } else if (strcmp(arg, "--no-forward") == 0) {
      hold = 1;
    } else if (strcmp(arg, "--group") == 0) {
      r->group = 1;
    } else if (strcmp(arg, "--foreground") == 0) {
      r->foreground = 1;
    } else if (strcmp(arg, "--preserve-status") == 0) {
      r->preserve_status = 1;
    } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
      r->verbose = 1;
    } else if (strcmp(arg, "--") == 0) {
      i++;
      break;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return usage(m, "run: unknown option '%s'", arg);
    } else {
      break;
    }
  }
  if (grace_given && !r->init)
    return usage(m, "run: --grace applies only with --init");
  if (hold && list_given)
    return usage(m, "run: --no-forward and --forward exclude each other");
  if (kill_given && !timeout_given)
    return usage(m, "run: --kill-after applies only with --timeout");
  if (i >= argc) return usage(m, "run: missing COMMAND");
  /* A timeout never reached is none. */
  if (r->timeout >= SIGPORT_CLI_DURATION_MAX) r->timeout = 0;
  if (r->kill_after >= SIGPORT_CLI_DURATION_MAX) r->kill_after = 0;
  /* Whatever the default list would pass on and is not passed on is held:
     caught, so that it does not end run before its child, where its
     default would end a process. */
  for (s = 1; s < SIGPORT_NSIG; s++) {
    int action = sigport_default_action(s);
    if (hold) r->forward[s] = 0;
    r->guard[s] = (unsigned char)(forwarded_by_default(s) && !r->forward[s] &&
                                  (action == SIGPORT_ACTION_TERMINATE ||
                                   action == SIGPORT_ACTION_CORE));
  }
  out->args = argv + i;
  out->nargs = argc - i;
  return 0;
}

static int parse_mask(struct msg *m, int argc, char **argv,
                      struct sigport_cli *out) {
  const char *pid = NULL;
  int i;
  for (i = 1; i < argc; i++) {
    if (is_help(argv[i])) {
      out->help = 1;
      return 0;
    }
    if (strcmp(argv[i], "--json") == 0) {
      out->json = 1;
      continue;
    }
    if (argv[i][0] == '-' && argv[i][1] == '-')
      return usage(m, "mask: unknown option '%s'", argv[i]);
    if (pid != NULL)
      return usage(m, "mask: unexpected argument '%s'", argv[i]);
    pid = argv[i];
  }
  if (pid != NULL &&
      sigport_cli_long(pid, 1, 0x7fffffffL, &out->mask_pid_value) != 0)
    return usage(m, "invalid pid '%s'", pid);
  out->mask_pid = pid;
  return 0;
}

/* ------------------------------------------------------------------ */
/* The command line                                                    */
/* ------------------------------------------------------------------ */

static const struct {
  const char *name;
  enum sigport_cli_command command;
  int (*parse)(struct msg *, int, char **, struct sigport_cli *);
} commands[] = {{"list", SIGPORT_CLI_LIST, parse_list},
                {"info", SIGPORT_CLI_INFO, parse_info},
                {"send", SIGPORT_CLI_SEND, parse_send},
                {"watch", SIGPORT_CLI_WATCH, parse_watch},
                {"run", SIGPORT_CLI_RUN, parse_run},
                {"mask", SIGPORT_CLI_MASK, parse_mask}};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Sets *out to a command with no options. */
static void clear(struct sigport_cli *out, enum sigport_cli_command command) {
  memset(out, 0, sizeof *out);
  out->command = command;
  out->watch.timeout = -1;
  sigport_sigemptyset(&out->watch.signals);
}

int sigport_cli_parse(int argc, char **argv, struct sigport_cli *out,
                      char *err, size_t errlen) {
  struct msg m;
  size_t i;
  int rc;
  m.text = err;
  m.size = err != NULL ? errlen : 0;
  if (m.size > 0) err[0] = '\0';
  clear(out, SIGPORT_CLI_HELP);
  if (argc < 2) return usage(&m, "missing command (try 'sigport --help')");
  if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
    if (argc > 2 && strcmp(argv[1], "help") == 0) {
      for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[2], commands[i].name) == 0) {
          out->command = commands[i].command;
          out->help = 1;
          return 0;
        }
      return usage(&m, "unknown command '%s'", argv[2]);
    }
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    out->command = SIGPORT_CLI_VERSION;
    for (i = 2; i < (size_t)argc; i++) {
      if (strcmp(argv[i], "--json") == 0) {
        out->json = 1;
      } else {
        clear(out, SIGPORT_CLI_VERSION);
        return usage(&m, "--version: unexpected argument '%s'", argv[i]);
      }
    }
    return 0;
  }
  for (i = 0; i < N_COMMANDS; i++)
    if (strcmp(argv[1], commands[i].name) == 0) {
      out->command = commands[i].command;
      rc = commands[i].parse(&m, argc - 1, argv + 1, out);
      /* After an error or --help, nothing but the command and the help
         flag is set. */
      if (rc != 0) {
        clear(out, commands[i].command);
      } else if (out->help) {
        clear(out, commands[i].command);
        out->help = 1;
      }
      return rc;
    }
  if (argv[1][0] == '-') return usage(&m, "unknown option '%s'", argv[1]);
  return usage(&m, "unknown command '%s'", argv[1]);
}
