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
   range counts up from SIGRTMIN, the upper half down from SIGRTMAX. 64
   entries cover every system's range. */
#define SP_RT_NAMES 64
static const char *const rtmin_names[64] = {
    "SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4",
    "SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9",
    "SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14",
    "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17", "SIGRTMIN+18", "SIGRTMIN+19",
    "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23", "SIGRTMIN+24",
    "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29",
    "SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMIN+32", "SIGRTMIN+33", "SIGRTMIN+34",
    "SIGRTMIN+35", "SIGRTMIN+36", "SIGRTMIN+37", "SIGRTMIN+38", "SIGRTMIN+39",
    "SIGRTMIN+40", "SIGRTMIN+41", "SIGRTMIN+42", "SIGRTMIN+43", "SIGRTMIN+44",
    "SIGRTMIN+45", "SIGRTMIN+46", "SIGRTMIN+47", "SIGRTMIN+48", "SIGRTMIN+49",
    "SIGRTMIN+50", "SIGRTMIN+51", "SIGRTMIN+52", "SIGRTMIN+53", "SIGRTMIN+54",
    "SIGRTMIN+55", "SIGRTMIN+56", "SIGRTMIN+57", "SIGRTMIN+58", "SIGRTMIN+59",
    "SIGRTMIN+60", "SIGRTMIN+61", "SIGRTMIN+62", "SIGRTMIN+63",
};
static const char *const rtmax_names[64] = {
    "SIGRTMAX", "SIGRTMAX-1", "SIGRTMAX-2", "SIGRTMAX-3", "SIGRTMAX-4",
    "SIGRTMAX-5", "SIGRTMAX-6", "SIGRTMAX-7", "SIGRTMAX-8", "SIGRTMAX-9",
    "SIGRTMAX-10", "SIGRTMAX-11", "SIGRTMAX-12", "SIGRTMAX-13", "SIGRTMAX-14",
    "SIGRTMAX-15", "SIGRTMAX-16", "SIGRTMAX-17", "SIGRTMAX-18", "SIGRTMAX-19",
    "SIGRTMAX-20", "SIGRTMAX-21", "SIGRTMAX-22", "SIGRTMAX-23", "SIGRTMAX-24",
    "SIGRTMAX-25", "SIGRTMAX-26", "SIGRTMAX-27", "SIGRTMAX-28", "SIGRTMAX-29",
    "SIGRTMAX-30", "SIGRTMAX-31", "SIGRTMAX-32", "SIGRTMAX-33", "SIGRTMAX-34",
    "SIGRTMAX-35", "SIGRTMAX-36", "SIGRTMAX-37", "SIGRTMAX-38", "SIGRTMAX-39",
    "SIGRTMAX-40", "SIGRTMAX-41", "SIGRTMAX-42", "SIGRTMAX-43", "SIGRTMAX-44",
    "SIGRTMAX-45", "SIGRTMAX-46", "SIGRTMAX-47", "SIGRTMAX-48", "SIGRTMAX-49",
    "SIGRTMAX-50", "SIGRTMAX-51", "SIGRTMAX-52", "SIGRTMAX-53", "SIGRTMAX-54",
    "SIGRTMAX-55", "SIGRTMAX-56", "SIGRTMAX-57", "SIGRTMAX-58", "SIGRTMAX-59",
    "SIGRTMAX-60", "SIGRTMAX-61", "SIGRTMAX-62", "SIGRTMAX-63",
};
static const char *const rt_descriptions[64] = {
    "Real-time signal 0", "Real-time signal 1", "Real-time signal 2",
    "Real-time signal 3", "Real-time signal 4", "Real-time signal 5",
    "Real-time signal 6", "Real-time signal 7", "Real-time signal 8",
    "Real-time signal 9", "Real-time signal 10", "Real-time signal 11",
    "Real-time signal 12", "Real-time signal 13", "Real-time signal 14",
    "Real-time signal 15", "Real-time signal 16", "Real-time signal 17",
    "Real-time signal 18", "Real-time signal 19", "Real-time signal 20",
    "Real-time signal 21", "Real-time signal 22", "Real-time signal 23",
    "Real-time signal 24", "Real-time signal 25", "Real-time signal 26",
    "Real-time signal 27", "Real-time signal 28", "Real-time signal 29",
    "Real-time signal 30", "Real-time signal 31", "Real-time signal 32",
    "Real-time signal 33", "Real-time signal 34", "Real-time signal 35",
    "Real-time signal 36", "Real-time signal 37", "Real-time signal 38",
    "Real-time signal 39", "Real-time signal 40", "Real-time signal 41",
    "Real-time signal 42", "Real-time signal 43", "Real-time signal 44",
    "Real-time signal 45", "Real-time signal 46", "Real-time signal 47",
    "Real-time signal 48", "Real-time signal 49", "Real-time signal 50",
    "Real-time signal 51", "Real-time signal 52", "Real-time signal 53",
    "Real-time signal 54", "Real-time signal 55", "Real-time signal 56",
    "Real-time signal 57", "Real-time signal 58", "Real-time signal 59",
    "Real-time signal 60", "Real-time signal 61", "Real-time signal 62",
    "Real-time signal 63",
};

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
  if (off <= (hi - lo) / 2) return rtmin_names[off];
  return rtmax_names[hi - signum];
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
