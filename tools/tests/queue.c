/* queue: sends signal SIGNUM to PID with sigqueue() once for each value
   from FIRST to LAST, in that order, the value in sival_int (the rest of
   the union zero):

     queue PID SIGNUM FIRST LAST

   The shell tests use it for `sigport watch --queue`, since neither the
   shell nor perl's POSIX module has sigqueue(). SIGNUM is a number, from
   the tests' sysnum. Each sigqueue() is made once: a refusal (EAGAIN when
   the queue of pending signals is full) ends the program with status 1
   and the value it stopped at; usage errors give 2. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int number(const char *text, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  *out = strtol(text, &end, 10);
  return end != text && *end == '\0' && errno == 0 && *out >= lo &&
         *out <= hi;
}

int main(int argc, char **argv) {
  long pid, signum, first, last, v;
  if (argc != 5 || !number(argv[1], 1, 0x7fffffffL, &pid) ||
      !number(argv[2], 1, 127, &signum) ||
      !number(argv[3], -0x7fffffffL, 0x7fffffffL, &first) ||
      !number(argv[4], first, 0x7fffffffL, &last)) {
    fprintf(stderr, "usage: queue PID SIGNUM FIRST LAST\n");
    return 2;
  }
  for (v = first; v <= last; v++) {
    union sigval value;
    memset(&value, 0, sizeof value);
    value.sival_int = (int)v;
    if (sigqueue((pid_t)pid, (int)signum, value) != 0) {
      fprintf(stderr, "queue: sigqueue(%ld, %ld, %ld): %s\n", pid, signum, v,
              strerror(errno));
      return 1;
    }
  }
  return 0;
}
