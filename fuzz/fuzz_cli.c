/*
 * fuzz_cli.c: libFuzzer target for the `sigport` tool's command line
 * (tools/cli.c).
 *
 * The input is split into words at newline and NUL bytes; they follow
 * "sigport" as argv[1], argv[2], ... The parser runs three times: with
 * room for the whole message, with a small buffer, and with none. Every
 * broken invariant calls abort().
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"
#include "sigport.h"

#define MAX_WORDS 64

/* A signal that `info`, `watch` or `run` may be given. */
static int is_named_signal(int signum) {
  return signum > 0 && sigport_signame(signum) != NULL;
}

static int time_in_range(double t) { return t >= 0 && t <= 1e9; }

/* sigport_cli_long() takes a word exactly when it is an optional '-' and
   decimal digits whose value fits a long, and gives that value. */
static void check_number(const char *word) {
  char written[32], expected[32];
  const char *digits = word[0] == '-' ? word + 1 : word;
  size_t n = strspn(digits, "0123456789");
  long v = 0;
  int rc = sigport_cli_long(word, LONG_MIN, LONG_MAX, &v);
  if (n == 0 || digits[n] != '\0') {
    CHECK(rc == -1);
    return;
  }
  while (n > 1 && digits[0] == '0') {
    digits++;
    n--;
  }
  if (rc != 0) {
    /* Only a value beyond a long's range is refused. */
    CHECK(n >= (sizeof(long) == 8 ? 19 : 10));
    return;
  }
  snprintf(expected, sizeof expected, "%s%s",
           word[0] == '-' && strcmp(digits, "0") != 0 ? "-" : "", digits);
  snprintf(written, sizeof written, "%ld", v);
  CHECK(strcmp(written, expected) == 0);
}

/* Two parses of the same words gave the same result. */
static void check_same(const struct sigport_cli *a,
                       const struct sigport_cli *b) {
  int s;
  CHECK(a->command == b->command);
  CHECK(a->help == b->help);
  CHECK(a->json == b->json);
  CHECK(a->signum == b->signum);
  CHECK(a->args == b->args);
  CHECK(a->nargs == b->nargs);
  CHECK(a->watch.count == b->watch.count);
  CHECK(a->watch.timeout == b->watch.timeout);
  CHECK(a->watch.queue == b->watch.queue);
  CHECK(a->run.timeout == b->run.timeout);
  CHECK(a->run.kill_after == b->run.kill_after);
  CHECK(a->run.timeout_signal == b->run.timeout_signal);
  CHECK(a->run.init == b->run.init);
  CHECK(a->run.grace == b->run.grace);
  CHECK(a->run.group == b->run.group);
  CHECK(a->run.foreground == b->run.foreground);
  CHECK(a->run.preserve_status == b->run.preserve_status);
  CHECK(a->run.verbose == b->run.verbose);
  CHECK(a->mask_pid == b->mask_pid);
  CHECK(a->mask_pid_value == b->mask_pid_value);
  for (s = 0; s < SIGPORT_NSIG; s++) {
    CHECK(a->run.forward[s] == b->run.forward[s]);
    CHECK(a->run.guard[s] == b->run.guard[s]);
    if (s > 0)
      CHECK(sigport_sigismember(&a->watch.signals, s) ==
            sigport_sigismember(&b->watch.signals, s));
  }
}

/* Nothing but the command and the help flag is set (and --json, where
   `json` says it may be). */
static void check_bare_json(const struct sigport_cli *c, int json) {
  int s;
  CHECK(c->json == 0 || (json && c->json == 1));
  CHECK(c->signum == 0);
  CHECK(c->args == NULL);
  CHECK(c->nargs == 0);
  CHECK(c->watch.count == 0);
  CHECK(c->watch.timeout == -1);
  CHECK(c->watch.queue == 0);
  CHECK(sigport_sigset_next(&c->watch.signals, 0) == 0);
  CHECK(c->run.timeout == 0);
  CHECK(c->run.kill_after == 0);
  CHECK(c->run.timeout_signal == 0);
  CHECK(c->mask_pid == NULL);
  CHECK(c->mask_pid_value == 0);
  for (s = 0; s < SIGPORT_NSIG; s++)
    CHECK(c->run.forward[s] == 0 && c->run.guard[s] == 0);
}

static void check_bare(const struct sigport_cli *c) { check_bare_json(c, 0); }

/* args is argv's tail: at least one word, up to argv's NULL. */
static void check_tail(const struct sigport_cli *c, int argc, char **argv) {
  CHECK(c->nargs >= 1);
  CHECK(c->args > argv + 1 && c->args <= argv + argc - 1);
  CHECK(c->args + c->nargs == argv + argc);
  CHECK(c->args[c->nargs] == NULL);
}

/* A parse that succeeded gave values in range. */
static void check_parsed(const struct sigport_cli *c, int argc, char **argv) {
  int s, i;
  long v;
  if (c->help) {
    CHECK(c->help == 1);
    CHECK(c->command >= SIGPORT_CLI_LIST && c->command <= SIGPORT_CLI_MASK);
    check_bare(c);
    return;
  }
  switch (c->command) {
  case SIGPORT_CLI_HELP:
    check_bare(c);
    break;
  case SIGPORT_CLI_VERSION:
    /* --version takes --json, and nothing else. */
    check_bare_json(c, 1);
    for (i = 2; i < argc; i++) CHECK(strcmp(argv[i], "--json") == 0);
    break;
  case SIGPORT_CLI_LIST:
    CHECK(c->json == 0 || c->json == 1);
    CHECK(c->args == NULL && c->nargs == 0);
    break;
  case SIGPORT_CLI_INFO:
    CHECK(c->json == 0 || c->json == 1);
    CHECK(is_named_signal(c->signum));
    break;
  case SIGPORT_CLI_SEND:
    CHECK(c->signum == 0 || is_named_signal(c->signum));
    check_tail(c, argc, argv);
    for (i = 0; i < c->nargs; i++)
      CHECK(sigport_cli_long(c->args[i], SIGPORT_CLI_PID_MIN,
                             SIGPORT_CLI_PID_MAX, &v) == 0);
    break;
  case SIGPORT_CLI_WATCH:
    CHECK(c->json == 0 || c->json == 1);
    CHECK(c->watch.count <= 0x7fffffffUL);
    CHECK(c->watch.timeout == -1 || time_in_range(c->watch.timeout));
    CHECK(c->watch.queue == 0 || c->watch.queue == 1);
    s = sigport_sigset_next(&c->watch.signals, 0);
    CHECK(s > 0);
    for (; s > 0; s = sigport_sigset_next(&c->watch.signals, s))
      CHECK(is_named_signal(s));
    break;
  case SIGPORT_CLI_RUN:
    CHECK(time_in_range(c->run.timeout));
    CHECK(time_in_range(c->run.kill_after));
    CHECK(is_named_signal(c->run.timeout_signal));
    CHECK(c->run.init == 0 || c->run.init == 1);
    CHECK(time_in_range(c->run.grace));
    /* --grace is refused without --init: a grace other than the default
       comes with it. */
    CHECK(c->run.init || c->run.grace == 5);
    CHECK(c->run.group <= 1 && c->run.foreground <= 1);
    CHECK(c->run.preserve_status <= 1 && c->run.verbose <= 1);
    /* A timeout never reached is none. */
    CHECK(c->run.timeout < SIGPORT_CLI_DURATION_MAX);
    CHECK(c->run.kill_after < SIGPORT_CLI_DURATION_MAX);
    CHECK(c->run.forward[0] == 0 && c->run.guard[0] == 0);
    for (s = 1; s < SIGPORT_NSIG; s++) {
      CHECK(c->run.forward[s] <= 1 && c->run.guard[s] <= 1);
      if (c->run.forward[s]) CHECK(sigport_catchable(s) == 1);
      if (c->run.guard[s]) CHECK(!c->run.forward[s]);
#if !defined(_WIN32)
      /* run handles the child's end and job control itself. */
      if (s == SIGPORT_SIGCHLD || s == SIGPORT_SIGTSTP ||
          s == SIGPORT_SIGTTIN || s == SIGPORT_SIGTTOU || s == SIGPORT_SIGCONT)
        CHECK(!c->run.forward[s] && !c->run.guard[s]);
#endif
    }
    check_tail(c, argc, argv);
    break;
  case SIGPORT_CLI_MASK:
    CHECK(c->json == 0 || c->json == 1);
    if (c->mask_pid == NULL) {
      CHECK(c->mask_pid_value == 0);
    } else {
      for (i = 2; i < argc && argv[i] != c->mask_pid; i++) {
      }
      CHECK(i < argc);
      CHECK(sigport_cli_long(c->mask_pid, 1, 0x7fffffffL, &v) == 0);
      CHECK(v == c->mask_pid_value);
    }
    break;
  default:
    fuzz_failed(__FILE__, __LINE__, "a known command");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *argv[MAX_WORDS + 2], *copy[MAX_WORDS + 2];
  size_t start[MAX_WORDS + 2], len[MAX_WORDS + 2];
  struct sigport_cli first, again;
  size_t pos = 0, longest = 0, errlen, small;
  char *err, *err_small;
  int argc = 1, rc, rc_small, rc_none, i;

  argv[0] = (char *)"sigport";
  copy[0] = argv[0];
  while (pos < size && argc <= MAX_WORDS) {
    size_t n = 0;
    while (pos + n < size && data[pos + n] != '\n' && data[pos + n] != '\0')
      n++;
    argv[argc] = malloc(n + 1);
    if (argv[argc] == NULL) break;
    memcpy(argv[argc], data + pos, n);
    argv[argc][n] = '\0';
    copy[argc] = argv[argc];
    start[argc] = pos;
    len[argc] = n;
    if (n > longest) longest = n;
    argc++;
    pos += n + 1;
  }
  argv[argc] = NULL;
  copy[argc] = NULL;

  /* More room than cli.h promises to need, so that a longer message shows. */
  errlen = longest + 256;
  small = size > 0 ? (size_t)data[0] % 16 + 1 : 1;
  err = malloc(errlen);
  err_small = malloc(small);
  if (err == NULL || err_small == NULL) goto done;
  memset(err, 'x', errlen);
  memset(err_small, 'x', small);

  rc = sigport_cli_parse(argc, argv, &first, err, errlen);
  CHECK(rc == 0 || rc == SIGPORT_CLI_USAGE);
  CHECK(memchr(err, '\0', errlen) != NULL);
  /* argv is left as it was. */
  for (i = 0; i <= argc; i++) CHECK(argv[i] == copy[i]);
  for (i = 1; i < argc; i++)
    CHECK(memcmp(argv[i], data + start[i], len[i]) == 0 &&
          argv[i][len[i]] == '\0');
  for (i = 1; i < argc; i++) check_number(argv[i]);
  if (rc == 0) {
    CHECK(err[0] == '\0');
    check_parsed(&first, argc, argv);
  } else {
    CHECK(err[0] != '\0');
    CHECK(strlen(err) < longest + 128);
    CHECK(strchr(err, '\n') == NULL);
    CHECK(first.help == 0);
    check_bare(&first);
  }

  rc_small = sigport_cli_parse(argc, argv, &again, err_small, small);
  CHECK(rc_small == rc);
  check_same(&first, &again);
  CHECK(memchr(err_small, '\0', small) != NULL);
  CHECK(strncmp(err_small, err, small - 1) == 0);

  rc_none = sigport_cli_parse(argc, argv, &again, NULL, 0);
  CHECK(rc_none == rc);
  check_same(&first, &again);

done:
  free(err);
  free(err_small);
  for (i = 1; i < argc; i++) free(argv[i]);
  return 0;
}
