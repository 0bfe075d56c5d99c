/*
 * names.c: signal names, descriptions and default actions, from the
 * backend's table, and the real-time signals' names, which depend on the
 * run-time SIGRTMIN and SIGRTMAX.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "internal.h"

/* ASCII upper case, whatever the locale: names match the same way under
   every setlocale(). */
static int sp_upper(char c) {
  return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : (unsigned char)c;
}

/* Static names, as `kill -l` gives them: the lower half of the real-time
   range counts up from SIGRTMIN, the upper half down from SIGRTMAX, and an
   odd count gives the lower half one more. The tables, indexed by the
   offset from SIGRTMIN or SIGRTMAX, are made by the preprocessor ten
   entries a row: offsets 0 to 129 cover any range below SIGPORT_NSIG (Linux
   on MIPS has 94 real-time signals, 34 to 127 with glibc). Offset 0 is
   SIGRTMIN or SIGRTMAX itself, named without the "+0". */
#define SP_RT_NAMES 130
#define SP_STR(x) #x
#define SP_RTMIN_NAME(n) "SIGRTMIN+" SP_STR(n)
#define SP_RTMAX_NAME(n) "SIGRTMAX-" SP_STR(n)
#define SP_RT_DESCRIPTION(n) "Real-time signal " SP_STR(n)
#define SP_RT_ROW(f, tens)                                                  \
  f(tens##0), f(tens##1), f(tens##2), f(tens##3), f(tens##4), f(tens##5),   \
      f(tens##6), f(tens##7), f(tens##8), f(tens##9)
#define SP_RT_TABLE(f)                                                      \
  SP_RT_ROW(f, ), SP_RT_ROW(f, 1), SP_RT_ROW(f, 2), SP_RT_ROW(f, 3),         \
      SP_RT_ROW(f, 4), SP_RT_ROW(f, 5), SP_RT_ROW(f, 6), SP_RT_ROW(f, 7),    \
      SP_RT_ROW(f, 8), SP_RT_ROW(f, 9), SP_RT_ROW(f, 10), SP_RT_ROW(f, 11),  \
      SP_RT_ROW(f, 12)
static const char *const rtmin_names[] = {SP_RT_TABLE(SP_RTMIN_NAME)};
static const char *const rtmax_names[] = {SP_RT_TABLE(SP_RTMAX_NAME)};
static const char *const rt_descriptions[] = {
    SP_RT_TABLE(SP_RT_DESCRIPTION)};
_Static_assert(sizeof rt_descriptions / sizeof rt_descriptions[0] ==
                   SP_RT_NAMES,
               "ten entries a row, thirteen rows");
_Static_assert(SIGPORT_NSIG <= SP_RT_NAMES,
               "every real-time offset has a name");

/* The backend's entry for signum, or NULL. */
static const struct sp_signal_desc *find_desc(int signum) {
  size_t n, i;
  const struct sp_signal_desc *table = sp__backend_signals(&n);
  for (i = 0; i < n; i++)
    if (table[i].signum == signum) return &table[i];
  return NULL;
}

/* The offset of a real-time signal from SIGRTMIN, or -1 if signum is not
   one. */
static int rt_offset(int signum) {
  int lo, hi;
  if (!SIGPORT_HAVE_RTSIG) return -1; /* without recording a failure */
  lo = sp__backend_rtmin();
  hi = sp__backend_rtmax();
  if (lo <= 0 || hi < lo || signum < lo || signum > hi) return -1;
  if (signum - lo >= SP_RT_NAMES) return -1;
  return signum - lo;
}

const char *sigport_signame(int signum) {
  const struct sp_signal_desc *d = find_desc(signum);
  int off, lo, hi;
  if (d != NULL) return d->name;
  off = rt_offset(signum);
  if (off < 0) return NULL;
  lo = sp__backend_rtmin();
  hi = sp__backend_rtmax();
  if (off <= (hi - lo) / 2) return off == 0 ? "SIGRTMIN" : rtmin_names[off];
  return signum == hi ? "SIGRTMAX" : rtmax_names[hi - signum];
}

int sigport_strsignal(int signum, const char **description) {
  const struct sp_signal_desc *d;
  int off;
  if (description == NULL)
    return sp__check_ptr(description, "sigport_strsignal", "description");
  d = find_desc(signum);
  if (d != NULL) {
    *description = d->description;
    return 0;
  }
  off = rt_offset(signum);
  if (off < 0)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_strsignal: %d is not a signal number here",
                    signum);
  *description = rt_descriptions[off];
  return 0;
}

int sigport_default_action(int signum) {
  const struct sp_signal_desc *d = find_desc(signum);
  if (d != NULL) return d->action;
  if (rt_offset(signum) >= 0) return SIGPORT_ACTION_TERMINATE;
  return sp__fail(SIGPORT_EVALUE,
                  "sigport_default_action: %d is not a signal number here",
                  signum);
}

int sigport_catchable(int signum) {
  const struct sp_signal_desc *d = find_desc(signum);
  if (d != NULL) return d->catchable;
  if (rt_offset(signum) >= 0) return 1;
  return sp__fail(SIGPORT_EVALUE,
                  "sigport_catchable: %d is not a signal number here", signum);
}

int sigport_sigrtmin(void) { return sp__backend_rtmin(); }

int sigport_sigrtmax(void) { return sp__backend_rtmax(); }

/* Case-insensitive equality of two strings. */
static int same_name(const char *a, const char *b) {
  for (; *a != '\0' && *b != '\0'; a++, b++)
    if (sp_upper(*a) != sp_upper(*b)) return 0;
  return *a == *b;
}

/* Parses a decimal number of at most a few digits; -1 if s is not one. */
static int parse_small_number(const char *s) {
  int v = 0;
  if (*s == '\0') return -1;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (*s - '0');
    if (v > 100000) return -1;
  }
  return v;
}

/* "RTMIN", "RTMIN+3", "RTMAX-2" (without "SIG", any case): the number, or
   -1. */
static int parse_rt(const char *s) {
  int lo, hi, base, sign, off;
  char head[6];
  size_t i;
  if (!SIGPORT_HAVE_RTSIG) return -1;
  lo = sp__backend_rtmin();
  hi = sp__backend_rtmax();
  if (lo <= 0) return -1;
  for (i = 0; i < 5 && s[i] != '\0'; i++) head[i] = (char)sp_upper(s[i]);
  head[i] = '\0';
  if (strcmp(head, "RTMIN") == 0) {
    base = lo;
    sign = 1;
  } else if (strcmp(head, "RTMAX") == 0) {
    base = hi;
    sign = -1;
  } else {
    return -1;
  }
  s += 5;
  if (*s == '\0') return base;
  if ((sign > 0 && *s != '+') || (sign < 0 && *s != '-')) return -1;
  off = parse_small_number(s + 1);
  if (off < 0) return -1;
  off = base + sign * off;
  return off >= lo && off <= hi ? off : -1;
}

int sigport_signum(const char *name) {
  size_t n, i;
  const struct sp_signal_desc *table;
  const char *bare = name;
  int v;
  if (name == NULL) return sp__check_ptr(name, "sigport_signum", "name");
  v = parse_small_number(name);
  if (v >= 0) {
    if (v == 0 || sigport_signame(v) != NULL) return v;
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_signum: %d is not a signal number here", v);
  }
  if (sp_upper(name[0]) == 'S' &&
      sp_upper(name[1]) == 'I' &&
      sp_upper(name[2]) == 'G')
    bare = name + 3;
  table = sp__backend_signals(&n);
  for (i = 0; i < n; i++) {
    const char *tn = table[i].name;
    if (same_name(name, tn)) return table[i].signum;
    if (strncmp(tn, "SIG", 3) == 0 && same_name(bare, tn + 3))
      return table[i].signum;
  }
  v = parse_rt(bare);
  if (v > 0) return v;
  return sp__fail(SIGPORT_EVALUE, "sigport_signum: unknown signal name '%.64s'",
                  name);
}

const char *sigport_codename(int signo, int code) {
  const char *sig = signo != 0 ? sigport_signame(signo) : NULL, *name;
  if (signo != 0 && sig == NULL) {
    sp__fail(SIGPORT_EVALUE,
             "sigport_codename: signal number %d is not a signal here", signo);
    return NULL;
  }
  name = sp__backend_codename(signo, code);
  if (name == NULL)
    sp__fail(SIGPORT_EVALUE, "sigport_codename: code %d has no name for %s",
             code, sig != NULL ? sig : "any signal");
  return name;
}
