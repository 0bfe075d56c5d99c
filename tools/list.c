/*
 * list.c: `sigport list` and `sigport info`.
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"


/* The description of a signal, or "-". */
static const char *description_of(int signum) {
  const char *d = NULL;
  if (sigport_strsignal(signum, &d) != 0 || d == NULL) return "-";
  return d;
}

static const char *action_name(int action) {
  switch (action) {
  case SIGPORT_ACTION_TERMINATE: return "terminate";
  case SIGPORT_ACTION_CORE: return "core";
  case SIGPORT_ACTION_IGNORE: return "ignore";
  case SIGPORT_ACTION_STOP: return "stop";
  case SIGPORT_ACTION_CONTINUE: return "continue";
  default: return "-";
  }
}


/* ------------------------------------------------------------------ */
/* list, info                                                          */
/* ------------------------------------------------------------------ */

const char help_list[] =
    "Usage: sigport list [--json]\n"
    "\n"
    "Lists every signal of this platform, one a line: number, name, default\n"
    "action (terminate, core, ignore, stop, continue), whether it can be\n"
    "caught, and description. On Windows: the eight signals sigport can\n"
    "handle, then the console events CTRL_C_EVENT and CTRL_BREAK_EVENT.\n"
    "\n"
    "  --json   one JSON array, one object a line:\n"
    "           {\"signal\":\"SIGHUP\",\"signo\":1,\"action\":\"terminate\",\n"
    "            \"catchable\":true,\"description\":\"Hangup\"}\n";

const char help_info[] =
    "Usage: sigport info SIGNAL [--json]\n"
    "\n"
    "Describes one signal as `sigport list` does. SIGNAL is a name or a\n"
    "number: TERM, SIGTERM, term and 15 are the same.\n"
    "\n"
    "  --json   one JSON object, with the keys of `sigport list --json`\n";

/* The signals `list` shows, in order, ending with 0. */
static int listed_signals(int *out, int room) {
  sigport_sigset_t valid;
  int n = 0, s = 0;
  if (sigport_valid_signals(&valid) != 0) return 0;
  while ((s = sigport_sigset_next(&valid, s)) > 0 && n < room - 3) out[n++] = s;
#if SIGPORT_HAVE_CONSOLE_EVENTS
  out[n++] = SIGPORT_CTRL_C_EVENT;
  out[n++] = SIGPORT_CTRL_BREAK_EVENT;
#endif
  out[n] = 0;
  return n;
}

/* The width of the name column: the longest name `list` shows. */
static int name_width(const int *signals, int n) {
  int i, width = 4;
  for (i = 0; i < n; i++) {
    const char *name = sigport_signame(signals[i]);
    if (name != NULL && (int)strlen(name) > width) width = (int)strlen(name);
  }
  return width;
}

static void print_signal_line(int signum, int width) {
  int action = sigport_default_action(signum);
  int catchable = sigport_catchable(signum);
  const char *name = sigport_signame(signum);
  printf("%3d  %-*s  %-9s  %-11s  %s\n", signum, width,
         name != NULL ? name : "-", action_name(action),
         catchable > 0 ? "catchable" : "uncatchable", description_of(signum));
}

static void print_signal_json(int signum) {
  const char *d = NULL;
  fputs("{\"signal\":", stdout);
  json_name(stdout, signum);
  printf(",\"signo\":%d,\"action\":\"%s\",\"catchable\":%s,\"description\":",
         signum, action_name(sigport_default_action(signum)),
         sigport_catchable(signum) > 0 ? "true" : "false");
  if (sigport_strsignal(signum, &d) == 0 && d != NULL)
    json_string(stdout, d);
  else
    fputs("null", stdout);
  putchar('}');
}

int cmd_list(const struct sigport_cli *cli) {
  int signals[SIGPORT_NSIG + 3];
  int json = cli->json, i, n, width;
  n = listed_signals(signals, (int)(sizeof signals / sizeof signals[0]));
  width = name_width(signals, n);
  if (json) puts("[");
  for (i = 0; i < n; i++) {
    if (json) {
      print_signal_json(signals[i]);
      puts(i + 1 < n ? "," : "");
    } else {
      print_signal_line(signals[i], width);
    }
  }
  if (json) puts("]");
  return finish_output(EXIT_OK);
}

int cmd_info(const struct sigport_cli *cli) {
  int signum = cli->signum;
  if (cli->json) {
    print_signal_json(signum);
    putchar('\n');
  } else {
    int signals[SIGPORT_NSIG + 3];
    int n = listed_signals(signals, (int)(sizeof signals / sizeof signals[0]));
    print_signal_line(signum, name_width(signals, n));
  }
  return finish_output(EXIT_OK);
}
