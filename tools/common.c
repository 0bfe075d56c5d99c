/*
 * common.c: the tool's messages, JSON strings and clock (tool.h).
 */
#if !defined(_WIN32)
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <time.h>
#include <unistd.h>
#endif

#include "tool.h"

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

/* Prints "sigport: <message>" as one line on stderr and returns status. */
int complain(int status, const char *fmt, ...) {
  va_list ap;
  fputs("sigport: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  return status;
}

/* A sigport call failed with rc: 2 for a bad value (SIGPORT_EVALUE), 1
   otherwise. sigport_last_error() names the call and the system's error. */
int library_failed(int rc) {
  return complain(rc == SIGPORT_EVALUE ? EXIT_USAGE : EXIT_REFUSED, "%s",
                  sigport_last_error());
}

/* The same, for run: its own failures exit EXIT_RUN_FAILED. */
int run_library_failed(int rc) {
  (void)library_failed(rc);
  return EXIT_RUN_FAILED;
}

/* A system call of the tool's own failed with errno err. */
int system_failed(const char *call, int err) {
  return complain(EXIT_REFUSED, "%s: %s", call, strerror(err));
}

/* Flushes stdout; a failed write is a refusal of the system. */
int finish_output(int status) {
  if (fflush(stdout) != 0 || ferror(stdout))
    return cannot_os(errno, "write to standard output");
  return status;
}

void json_string(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  fputc('"', out);
  for (; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

/* ------------------------------------------------------------------ */
/* Clocks and sleeping                                                 */
/* ------------------------------------------------------------------ */

int64_t now_us(void) {
#if defined(_WIN32)
  return (int64_t)GetTickCount64() * 1000;
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
#endif
}

int64_t duration_us(double seconds) {
  double us = seconds * 1e6;
  int64_t whole;
  if (!(us < (double)TOOL_FOREVER_US)) return TOOL_FOREVER_US;
  whole = (int64_t)us;
  if ((double)whole < us) whole++;
  return whole > 0 ? whole : 1;
}

int ms_until(int64_t deadline) {
  int64_t left;
  if (deadline < 0) return -1;
  left = deadline - now_us();
  if (left <= 0) return 0;
  if (left > (int64_t)1000000000 * 1000) return 1000000000;
  return (int)((left + 999) / 1000);
}

long own_pid(void) {
#if defined(_WIN32)
  return (long)GetCurrentProcessId();
#else
  return (long)getpid();
#endif
}

/* ------------------------------------------------------------------ */
/* Messages for the user                                               */
/* ------------------------------------------------------------------ */

const char *os_error_text(int err) {
#if defined(_WIN32)
  static char text[256];
  DWORD n = FormatMessageA(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
      (DWORD)err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text,
      (DWORD)sizeof text, NULL);
  /* The system's texts end with a full stop and a line break. */
  while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' ||
                   text[n - 1] == ' ' || text[n - 1] == '.'))
    text[--n] = '\0';
  if (n == 0) snprintf(text, sizeof text, "error %d", err);
  return text;
#else
  return strerror(err);
#endif
}

/* Prints "sigport: cannot <what>: <why>" and returns status. */
static int say_cannot(int status, const char *why, const char *fmt,
                      va_list ap) {
  char what[256];
  if (vsnprintf(what, sizeof what, fmt, ap) < 0) what[0] = '\0';
  return complain(status, "cannot %s: %s", what, why);
}

int cannot(int rc, const char *fmt, ...) {
  va_list ap;
  int status;
  va_start(ap, fmt);
  status = say_cannot(rc == SIGPORT_EVALUE ? EXIT_USAGE : EXIT_REFUSED,
                      rc == SIGPORT_EOS ? os_error_text(sigport_last_oserror())
                                        : sigport_strerror(rc),
                      fmt, ap);
  va_end(ap);
  return status;
}

int cannot_os(int err, const char *fmt, ...) {
  va_list ap;
  int status;
  va_start(ap, fmt);
  status = say_cannot(EXIT_REFUSED, os_error_text(err), fmt, ap);
  va_end(ap);
  return status;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

void json_name(FILE *out, int signum) {
  const char *name = sigport_signame(signum);
  if (name != NULL)
    json_string(out, name);
  else
    fputs("null", out);
}
