/*
 * error.c: the error codes, their messages and names, and the thread-local
 * record of the last failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "internal.h"

#define SP_MSG_SIZE 256

static SP_THREAD_LOCAL char last_message[SP_MSG_SIZE];
static SP_THREAD_LOCAL int last_oserror;

/* One table for the codes: the code, its Python class and its message. */
#define SP_ERRORS(XX)                                                        \
  XX(SIGPORT_EVALUE, "ValueError", "invalid argument")                       \
  XX(SIGPORT_EOS, "OSError", "operating system error")                       \
  XX(SIGPORT_EITIMER, "ItimerError", "interval timer error")                 \
  XX(SIGPORT_ENOTAVAIL, "AttributeError", "not available on this platform")  \
  XX(SIGPORT_EKEYBOARDINTERRUPT, "KeyboardInterrupt", "keyboard interrupt")

const char *sigport_strerror(int code) {
  if (code >= 0) return "success";
#define XX(c, name, msg) \
  if (code == (c)) return msg;
  SP_ERRORS(XX)
#undef XX
  if (code <= SIGPORT_EUSER) return "handler result";
  return "unknown error";
}

const char *sigport_errname(int code) {
  if (code >= 0) return "OK";
#define XX(c, name, msg) \
  if (code == (c)) return name;
  SP_ERRORS(XX)
#undef XX
  if (code <= SIGPORT_EUSER) return "UserError";
  return "UnknownError";
}

const char *sigport_last_error(void) { return last_message; }

int sigport_last_oserror(void) { return last_oserror; }

int sp__fail(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_message, sizeof last_message, fmt, ap);
  va_end(ap);
  return code;
}

int sp__fail_os(int code, int oserr, const char *fmt, ...) {
  char text[128];
  size_t len;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_message, sizeof last_message, fmt, ap);
  va_end(ap);
  sp__backend_error_text(oserr, text, sizeof text);
  len = strlen(last_message);
  snprintf(last_message + len, sizeof last_message - len, ": [Errno %d] %s",
           oserr, text);
  last_oserror = oserr;
  return code;
}

int sp__check_range(int signum, const char *fn) {
  if (signum < 1 || signum >= SIGPORT_NSIG)
    return sp__fail(SIGPORT_EVALUE, "%s: signal number %d out of range [1; %d]",
                    fn, signum, SIGPORT_NSIG - 1);
  return 0;
}

int sp__check_ptr(const void *p, const char *fn, const char *param) {
  if (p == NULL)
    return sp__fail(SIGPORT_EVALUE, "%s: %s must not be NULL", fn, param);
  return 0;
}
