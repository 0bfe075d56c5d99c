/*
 * cancel.c: a thread cancelled while it waits in the sigwait family
 * unwinds through the library's frames and ends with PTHREAD_CANCELED, on
 * architectures whose compilers make no unwind tables by default.
 *
 * Each thread is cancelled once it sleeps in the wait. A control runs
 * first, in a child, with the C library alone: a thread cancelled while it
 * sleeps in the C library's own sigwait(). Where even that fails (the child dies,
 * or the thread does not end cancelled), the platform cannot cancel a
 * thread blocked in a system call, and nothing here can judge sigport:
 * the program says so and exits with status 78.
 *
 * Exit status 0 when every check passed, 1 otherwise, 78 when the
 * control failed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sigport.h"

static int failures;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      printf("cancel: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
      failures++;                                                     \
    }                                                                 \
  } while (0)

struct waiter {
  int which;
  int cleaned; /* the cleanup handler ran */
};

/* The waiting thread's kernel id, which it sets before it waits. */
static _Atomic long waiter_tid;

/* Waits until thread `tid` sleeps in the kernel (state S in
   /proc/self/task/TID/stat), so that the cancellation comes while it is
   blocked in the wait, not before it gets there. */
static void wait_asleep(long tid) {
  char path[64], buf[512];
  for (;;) {
    FILE *f;
    size_t n;
    const char *state;
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    f = fopen(path, "r");
    if (f == NULL) abort();
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    state = strrchr(buf, ')');
    if (state != NULL && state[1] == ' ' && state[2] == 'S') return;
    sched_yield();
  }
}

static void cleanup(void *arg) { ((struct waiter *)arg)->cleaned = 1; }

static void *wait_forever(void *arg) {
  struct waiter *w = arg;
  sigport_sigset_t set;
  sigport_siginfo_t info;
  int got;
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
  pthread_cleanup_push(cleanup, w);
  waiter_tid = syscall(SYS_gettid);
  if (w->which == 0)
    sigport_sigwait(&set, &got);
  else if (w->which == 1)
    sigport_sigwaitinfo(&set, &info);
  else
    sigport_sigtimedwait(&set, 1e6, &info);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *control_wait(void *arg) {
  sigset_t set;
  int got;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  waiter_tid = syscall(SYS_gettid);
  sigwait(&set, &got);
  return arg;
}

/* The control, in a child: 0 when the C library's own sigwait() is
   cancelled while the thread sleeps in it, otherwise 1 with `why`
   filled. */
static int control_failed(char *why, size_t size) {
  pid_t pid;
  int status;
  fflush(stdout);
  pid = fork();
  if (pid < 0) {
    snprintf(why, size, "fork failed");
    return 1;
  }
  if (pid == 0) {
    sigset_t set;
    pthread_t t;
    void *res = NULL;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    waiter_tid = 0;
    if (pthread_create(&t, NULL, control_wait, NULL) != 0) _exit(2);
    while (waiter_tid == 0) sched_yield();
    wait_asleep(waiter_tid);
    if (pthread_cancel(t) != 0 || pthread_join(t, &res) != 0) _exit(3);
    _exit(res == PTHREAD_CANCELED ? 0 : 4);
  }
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFSIGNALED(status))
    snprintf(why, size, "the child died by signal %d", WTERMSIG(status));
  else
    snprintf(why, size, "the child exited with %d", WEXITSTATUS(status));
  return 1;
}

int main(void) {
  sigport_sigset_t set;
  int which;
  char why[128];
  if (control_failed(why, sizeof why)) {
    printf("cancel: the C library's own control failed: a thread cancelled "
           "in sigwait(), without sigport: %s. This platform cannot cancel "
           "a thread blocked in a system call; sigport is not judged\n",
           why);
    return 78;
  }
  printf("cancel: control: the C library's own sigwait() is cancelled\n");
  CHECK(sigport_init(0) == 0);
  sigport_sigemptyset(&set);
  sigport_sigaddset(&set, SIGUSR2);
  /* Blocked here, and so in the threads made below. */
  CHECK(sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, NULL) == 0);
  for (which = 0; which < 3; which++) {
    struct waiter w;
    pthread_t t;
    void *res = NULL;
    memset(&w, 0, sizeof w);
    w.which = which;
    waiter_tid = 0;
    CHECK(pthread_create(&t, NULL, wait_forever, &w) == 0);
    while (waiter_tid == 0) sched_yield();
    wait_asleep(waiter_tid);
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, &res) == 0);
    CHECK(res == PTHREAD_CANCELED);
    CHECK(w.cleaned == 1);
  }
  sigport_shutdown();
  if (failures != 0) return 1;
  printf("cancel: sigwait, sigwaitinfo and sigtimedwait cancelled, "
         "cleanup handlers run\ncancel ok\n");
  return 0;
}
