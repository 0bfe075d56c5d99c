/*
 * mask.c: `sigport mask`, a process's pending, blocked, ignored and
 * caught signals.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

/* ------------------------------------------------------------------ */
/* mask                                                                */
/* ------------------------------------------------------------------ */

const char help_mask[] =
    "Usage: sigport mask [--json] [PID]\n"
    "\n"
    "Shows which signals a process has pending, blocked, ignored and\n"
    "caught, by name. Linux: decodes SigPnd, ShdPnd, SigBlk, SigIgn and\n"
    "SigCgt of /proc/PID/status (default: sigport's own process, which\n"
    "shows the state it inherited). Elsewhere: sigport's own view of its\n"
    "own process only.\n"
    "\n"
    "  --json   one JSON object; each row a list of signals, each signal\n"
    "           with the keys of `sigport list --json`:\n"
    "           {\"pid\":5678,\"name\":\"sleep\",\"view\":\"proc\",\n"
    "            \"pending\":[],\"shared\":[],\"blocked\":[],\n"
    "            \"ignored\":[{\"signal\":\"SIGINT\",\"signo\":2}],\n"
    "            \"caught\":[]}\n"
    "           (\"view\":\"own\" with name null, and no \"shared\",\n"
    "           away from Linux)\n";

/* One line of `mask`: a label and the names of the signals in set. */
static void print_mask_row(const char *label, const sigport_sigset_t *set) {
  int s = 0, any = 0;
  printf("%-18s", label);
  while ((s = sigport_sigset_next(set, s)) > 0) {
    const char *name = sigport_signame(s);
    if (name != NULL)
      printf(" %s", name);
    else
      printf(" %d", s);
    any = 1;
  }
  puts(any ? "" : " -");
}

/* A row of `mask`: its label for the text, its JSON key, its signals. */
struct mask_row {
  const char *label, *key;
  sigport_sigset_t set;
};

/* Prints what mask found about process pid, named `name` (NULL: sigport's
   own view), as text or as one JSON object. */
static int print_mask(long pid, const char *name, const struct mask_row *rows,
                      size_t n, int json) {
  size_t k;
  int s;
  if (!json) {
    printf("pid %ld (%s)\n", pid, name != NULL ? name : "sigport's own view");
    for (k = 0; k < n; k++) print_mask_row(rows[k].label, &rows[k].set);
    return finish_output(EXIT_OK);
  }
  printf("{\"pid\":%ld,\"name\":", pid);
  if (name != NULL)
    json_string(stdout, name);
  else
    fputs("null", stdout);
  printf(",\"view\":\"%s\"", name != NULL ? "proc" : "own");
  for (k = 0; k < n; k++) {
    const char *sep = "";
    printf(",\"%s\":[", rows[k].key);
    for (s = 0; (s = sigport_sigset_next(&rows[k].set, s)) > 0; sep = ",") {
      printf("%s{\"signal\":", sep);
      json_name(stdout, s);
      printf(",\"signo\":%d}", s);
    }
    putchar(']');
  }
  fputs("}\n", stdout);
  return finish_output(EXIT_OK);
}

/* sigport's view of its own process: what the public API can tell. */
static int mask_own_view(int json) {
  struct mask_row rows[4];
  sigport_sigset_t valid, empty;
  size_t n = 0;
  int s = 0;
  sigport_valid_signals(&valid);
  sigport_sigemptyset(&empty);
#if SIGPORT_HAVE_SIGMASK
  rows[n].label = "pending:";
  rows[n].key = "pending";
  if (sigport_sigpending(&rows[n].set) == 0) n++;
  rows[n].label = "blocked:";
  rows[n].key = "blocked";
  if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, &rows[n].set) == 0)
    n++;
#endif
  rows[n].label = "ignored:";
  rows[n].key = "ignored";
  sigport_sigemptyset(&rows[n].set);
  rows[n + 1].label = "caught:";
  rows[n + 1].key = "caught";
  sigport_sigemptyset(&rows[n + 1].set);
  while ((s = sigport_sigset_next(&valid, s)) > 0) {
    sigport_handler_t h;
    if (sigport_getsignal(s, &h) != 0) continue;
    if (h.fn == SIGPORT_SIG_IGN)
      sigport_sigaddset(&rows[n].set, s);
    else if (h.fn != SIGPORT_SIG_DFL)
      sigport_sigaddset(&rows[n + 1].set, s);
  }
  return print_mask(own_pid(), NULL, rows, n + 2, json);
}

#if defined(__linux__)
/* Reads a mask of /proc/PID/status: hexadecimal digits, as many as the
   kernel has signals over four (16, or 32 on MIPS with its 128 signals),
   the highest signals first; the last digit holds signals 1 to 4. */
static void proc_mask(const char *text, sigport_sigset_t *set) {
  static const char digits[] = "0123456789abcdef";
  const char *first = text, *last;
  int s;
  sigport_sigemptyset(set);
  while (*first == ' ' || *first == '\t') first++;
  for (last = first; *last != '\0' && strchr(digits, *last) != NULL; last++)
    continue;
  for (s = 1; last > first; last--, s += 4) {
    int value = (int)(strchr(digits, last[-1]) - digits), b;
    for (b = 0; b < 4; b++)
      if (((value >> b) & 1) && s + b < SIGPORT_NSIG)
        sigport_sigaddset(set, s + b);
  }
}

/* Decodes /proc/PID/status; pid 0 is "self". Returns an exit status, or
   -1 when the file cannot be opened and `quiet` asks for the fallback
   instead of an error. */
static int mask_proc(long pid, int quiet, int json) {
  static const char *const fields[5] = {"SigPnd:", "ShdPnd:", "SigBlk:",
                                        "SigIgn:", "SigCgt:"};
  struct mask_row rows[5] = {{"SigPnd pending:", "pending", {{0}}},
                             {"ShdPnd shared:", "shared", {{0}}},
                             {"SigBlk blocked:", "blocked", {{0}}},
                             {"SigIgn ignored:", "ignored", {{0}}},
                             {"SigCgt caught:", "caught", {{0}}}};
  char path[64], line[256], name[128] = "?";
  int found[5] = {0, 0, 0, 0, 0};
  size_t k, n = 0;
  FILE *f;
  if (pid == 0)
    snprintf(path, sizeof path, "/proc/self/status");
  else
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
  f = fopen(path, "r");
  if (f == NULL) {
    if (quiet) return -1;
    /* No /proc/PID: no such process. */
    return cannot_os(errno == ENOENT ? ESRCH : errno,
                     "read the signal state of process %ld", pid);
  }
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "Name:", 5) == 0) {
      sscanf(line + 5, " %127[^\n]", name);
      continue;
    }
    for (k = 0; k < 5; k++) {
      size_t len = strlen(fields[k]);
      if (strncmp(line, fields[k], len) != 0) continue;
      proc_mask(line + len, &rows[k].set);
      found[k] = 1;
    }
  }
  fclose(f);
  /* The rows found, in order. */
  for (k = 0; k < 5; k++)
    if (found[k]) rows[n++] = rows[k];
  return print_mask(pid == 0 ? own_pid() : pid, name, rows, n, json);
}
#endif

int cmd_mask(const struct sigport_cli *cli) {
  const char *pid = cli->mask_pid;
#if defined(__linux__)
  if (pid != NULL) return mask_proc(cli->mask_pid_value, 0, cli->json);
  {
    int rc = mask_proc(0, 1, cli->json);
    if (rc >= 0) return rc;
  }
#else
  if (pid != NULL && cli->mask_pid_value != own_pid())
    return complain(EXIT_REFUSED,
                    "cannot read the signal state of process %s: this "
                    "system shows only sigport's own",
                    pid);
#endif
  return mask_own_view(cli->json);
}
