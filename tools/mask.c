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
    "Usage: sigport mask [PID]\n"
    "\n"
    "Shows which signals a process has pending, blocked, ignored and\n"
    "caught, by name. Linux: decodes SigPnd, ShdPnd, SigBlk, SigIgn and\n"
    "SigCgt of /proc/PID/status (default: sigport's own process, which\n"
    "shows the state it inherited). Elsewhere: sigport's own view of its\n"
    "own process only.\n";

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

/* sigport's view of its own process: what the public API can tell. */
static int mask_own_view(void) {
  sigport_sigset_t valid, ignored, caught, empty;
  int s = 0;
  printf("pid %ld (sigport's own view)\n", own_pid());
  sigport_valid_signals(&valid);
  sigport_sigemptyset(&ignored);
  sigport_sigemptyset(&caught);
  sigport_sigemptyset(&empty);
#if SIGPORT_HAVE_SIGMASK
  {
    sigport_sigset_t pending, blocked;
    if (sigport_sigpending(&pending) == 0) print_mask_row("pending:", &pending);
    if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, &blocked) == 0)
      print_mask_row("blocked:", &blocked);
  }
#endif
  while ((s = sigport_sigset_next(&valid, s)) > 0) {
    sigport_handler_t h;
    if (sigport_getsignal(s, &h) != 0) continue;
    if (h.fn == SIGPORT_SIG_IGN)
      sigport_sigaddset(&ignored, s);
    else if (h.fn != SIGPORT_SIG_DFL)
      sigport_sigaddset(&caught, s);
  }
  print_mask_row("ignored:", &ignored);
  print_mask_row("caught:", &caught);
  return finish_output(EXIT_OK);
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

/* Decodes /proc/PID/status. Returns an exit status, or -1 when the file
   cannot be opened and `quiet` asks for the fallback instead of an error. */
static int mask_proc(const char *pid, int quiet) {
  static const struct {
    const char *field, *label;
  } rows[] = {{"SigPnd:", "SigPnd pending:"},
              {"ShdPnd:", "ShdPnd shared:"},
              {"SigBlk:", "SigBlk blocked:"},
              {"SigIgn:", "SigIgn ignored:"},
              {"SigCgt:", "SigCgt caught:"}};
  char path[64], line[256], name[128] = "?";
  sigport_sigset_t sets[5];
  int found[5] = {0, 0, 0, 0, 0};
  size_t k;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%s/status", pid);
  f = fopen(path, "r");
  if (f == NULL) {
    if (quiet) return -1;
    /* No /proc/PID: no such process. */
    return cannot_os(errno == ENOENT ? ESRCH : errno,
                     "read the signal state of process %s", pid);
  }
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "Name:", 5) == 0) {
      sscanf(line + 5, " %127[^\n]", name);
      continue;
    }
    for (k = 0; k < 5; k++) {
      size_t n = strlen(rows[k].field);
      if (strncmp(line, rows[k].field, n) != 0) continue;
      proc_mask(line + n, &sets[k]);
      found[k] = 1;
    }
  }
  fclose(f);
  if (strcmp(pid, "self") == 0)
    printf("pid %ld (%s)\n", own_pid(), name);
  else
    printf("pid %s (%s)\n", pid, name);
  for (k = 0; k < 5; k++)
    if (found[k]) print_mask_row(rows[k].label, &sets[k]);
  return finish_output(EXIT_OK);
}
#endif

int cmd_mask(const struct sigport_cli *cli) {
  const char *pid = cli->mask_pid;
#if defined(__linux__)
  if (pid != NULL) {
    /* The number, not the text: "01" names /proc/1. */
    char number[24];
    snprintf(number, sizeof number, "%ld", cli->mask_pid_value);
    return mask_proc(number, 0);
  }
  {
    int rc = mask_proc("self", 1);
    if (rc >= 0) return rc;
  }
#else
  if (pid != NULL && cli->mask_pid_value != own_pid())
    return complain(EXIT_REFUSED,
                    "cannot read the signal state of process %s: this "
                    "system shows only sigport's own",
                    pid);
#endif
  return mask_own_view();
}
