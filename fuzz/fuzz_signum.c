/*
 * fuzz_signum.c: libFuzzer target for the name functions of src/names.c.
 *
 * The input, up to its first NUL byte, is a name for sigport_signum(). Its
 * first byte, and its first four bytes, are also taken as signal numbers
 * for sigport_signame(), sigport_strsignal(), sigport_default_action() and
 * sigport_catchable(). Every broken invariant calls abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sigport.h"

static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* 1 when s is one or more decimal digits. */
static int all_digits(const char *s) {
  if (*s == '\0') return 0;
  for (; *s != '\0'; s++)
    if (*s < '0' || *s > '9') return 0;
  return 1;
}

/* The value of a string of digits, capped at 1000000. */
static long digits_value(const char *s) {
  long v = 0;
  for (; *s != '\0'; s++) {
    v = v * 10 + (*s - '0');
    if (v > 1000000) return 1000000;
  }
  return v;
}

/* A number that names a signal here. */
static int is_signal_number(int signum) {
  if (signum > 0 && signum < SIGPORT_NSIG) return 1;
#if SIGPORT_HAVE_CONSOLE_EVENTS
  if (signum == SIGPORT_CTRL_C_EVENT || signum == SIGPORT_CTRL_BREAK_EVENT)
    return 1;
#endif
  return 0;
}

/* A failed call left a message. */
static void check_message(const char *call) {
  const char *e = sigport_last_error();
  CHECK(e != NULL);
  CHECK(e[0] != '\0');
  CHECK(strlen(e) < 512);
  CHECK(strstr(e, call) != NULL);
}

/* signame, strsignal, default_action and catchable agree about signum. A
   failure's message is checked before the next call replaces it. */
static void check_number(int signum) {
  const char *name = sigport_signame(signum);
  const char *description = NULL;
  char text[16];
  int rc;
  snprintf(text, sizeof text, "%d", signum);
  if (name == NULL) {
    CHECK(sigport_strsignal(signum, &description) == SIGPORT_EVALUE);
    check_message("sigport_strsignal");
    if (signum != 0) {
      CHECK(sigport_default_action(signum) == SIGPORT_EVALUE);
      check_message("sigport_default_action");
      CHECK(sigport_catchable(signum) == SIGPORT_EVALUE);
      check_message("sigport_catchable");
    }
    if (signum > 0 && signum <= 100000) {
      CHECK(sigport_signum(text) == SIGPORT_EVALUE);
      check_message("sigport_signum");
    }
    return;
  }
  CHECK(is_signal_number(signum));
  CHECK(name[0] != '\0');
  CHECK(sigport_signum(name) == signum);
  CHECK(sigport_signum(text) == signum);
  CHECK(sigport_strsignal(signum, &description) == 0);
  CHECK(description == NULL || description[0] != '\0');
  rc = sigport_default_action(signum);
  CHECK(rc == SIGPORT_ACTION_TERMINATE || rc == SIGPORT_ACTION_CORE ||
        rc == SIGPORT_ACTION_IGNORE || rc == SIGPORT_ACTION_STOP ||
        rc == SIGPORT_ACTION_CONTINUE);
  rc = sigport_catchable(signum);
  CHECK(rc == 0 || rc == 1);
}

/* What sigport_signum() makes of name. */
static void check_name(const char *name, size_t len) {
  int v = sigport_signum(name);
  char *other;
  size_t i;
  CHECK(v >= 0 || v == SIGPORT_EVALUE);
  CHECK(sigport_signum(name) == v);
  if (v < 0) check_message("sigport_signum");
  if (all_digits(name)) {
    long n = digits_value(name);
    /* A number is a number, never a name. */
    if (n == 0 || (n <= 100000 && sigport_signame((int)n) != NULL))
      CHECK(v == n);
    else
      CHECK(v == SIGPORT_EVALUE);
    return;
  }
  if (v < 0) return;
  CHECK(v > 0);
  CHECK(is_signal_number(v));
  CHECK(sigport_signame(v) != NULL);
  CHECK(sigport_signum(sigport_signame(v)) == v);
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-');
  }

  /* Case does not matter. */
  other = malloc(len + 4);
  if (other == NULL) return;
  for (i = 0; i <= len; i++) other[i] = (char)upper((unsigned char)name[i]);
  CHECK(sigport_signum(other) == v);
  for (i = 0; i <= len; i++) other[i] = (char)lower((unsigned char)name[i]);
  CHECK(sigport_signum(other) == v);

  /* "SIG" is optional. */
  if (len >= 3 && upper(name[0]) == 'S' && upper(name[1]) == 'I' &&
      upper(name[2]) == 'G') {
    if (strncmp(sigport_signame(v), "SIG", 3) == 0)
      CHECK(sigport_signum(name + 3) == v);
  } else if (strncmp(sigport_signame(v), "SIG", 3) == 0) {
    memcpy(other, "SIG", 3);
    memcpy(other + 3, name, len + 1);
    CHECK(sigport_signum(other) == v);
  }
  free(other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *name = malloc(size + 1);
  if (name == NULL) return 0;
  if (size > 0) memcpy(name, data, size);
  name[size] = '\0';
  check_name(name, strlen(name));
  free(name);
  if (size >= 1) check_number((signed char)data[0]);
  if (size >= 4) {
    uint32_t u = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
                 (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
    int n;
    memcpy(&n, &u, sizeof n);
    check_number(n);
  }
  return 0;
}
