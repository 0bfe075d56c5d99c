/*
 * reaper.c: a loop that starts children, watches them, and never touches
 * anyone else's.
 *
 * It starts N children (`sh -c 'exit K'`, K = 1, 2, ... N, modulo 256),
 * at most 8 alive at once, and watches each with sigport_watch_child().
 * The loop sleeps in poll() on sigport_child_fd(); when that is readable,
 * sigport_dispatch() reaps the children that ended and calls back, one
 * line a child: "child PID: exit K". Meanwhile another part of the
 * program (standing in for a library that knows nothing of sigport)
 * started a child of its own, which the loop never watches: when the loop
 * is done, that part's own waitpid() gets its status, since sigport
 * waits only for the children it watches.
 *
 *   Usage: reaper [N]      (N defaults to 20)
 *
 * The last lines are "reaped N children" and "the other child: exit 42,
 * reaped by its owner".
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sigport.h>

#define MAX_ALIVE 8

static int alive, reaped;

static int on_end(const sigport_child_status_t *st, void *arg) {
  int expected = (int)(intptr_t)arg;
  alive--;
  reaped++;
  if (st->exited)
    printf("child %ld: exit %d\n", (long)st->pid, st->code);
  else if (st->lost)
    printf("child %ld: reaped by someone else\n", (long)st->pid);
  else
    printf("child %ld: killed by signal %d%s\n", (long)st->pid, st->signo,
           st->core ? " (core dumped)" : "");
  if (!st->exited || st->code != expected) {
    fprintf(stderr, "reaper: child %ld should have exited %d\n",
            (long)st->pid, expected);
    return SIGPORT_EUSER;
  }
  return 0;
}

/* Starts `sh -c 'exit K'`. */
static pid_t start(int code) {
  char arg[16];
  pid_t pid;
  snprintf(arg, sizeof arg, "%d", code);
  pid = fork();
  if (pid == 0) {
    sigport_restore_for_exec();
    execlp("sh", "sh", "-c", "exit \"$1\"", "sh", arg, (char *)NULL);
    _exit(127);
  }
  return pid;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20, started = 0, status, rc;
  struct pollfd p;
  pid_t other;
  if (n < 0) n = 0;
  if (sigport_init(0) != 0) {
    fprintf(stderr, "reaper: %s\n", sigport_last_error());
    return 1;
  }
  /* Someone else's child. */
  other = fork();
  if (other == 0) _exit(42);
  p.fd = (int)sigport_child_fd();
  p.events = POLLIN;
  if (p.fd < 0) {
    fprintf(stderr, "reaper: %s\n", sigport_last_error());
    return 1;
  }
  while (reaped < n) {
    while (started < n && alive < MAX_ALIVE) {
      int code = (started + 1) % 256;
      pid_t pid = start(code);
      if (pid < 0) {
        perror("reaper: fork");
        return 1;
      }
      if (sigport_watch_child(pid, on_end, (void *)(intptr_t)code) != 0) {
        fprintf(stderr, "reaper: %s\n", sigport_last_error());
        return 1;
      }
      started++;
      alive++;
    }
    if (poll(&p, 1, -1) < 0 && errno != EINTR) {
      perror("reaper: poll");
      return 1;
    }
    rc = sigport_dispatch();
    if (rc != 0) return 1;
  }
  printf("reaped %d children\n", reaped);
  /* The other part of the program waits for its own. */
  if (waitpid(other, &status, 0) != other) {
    perror("reaper: the other child's waitpid");
    return 1;
  }
  printf("the other child: exit %d, reaped by its owner\n",
         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  sigport_shutdown();
  return 0;
}
