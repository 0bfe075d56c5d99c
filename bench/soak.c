/*
 * soak.c: sigport under a long storm of signals.
 *
 *   soak [SECONDS]     (default 600)
 *
 * Two threads and a child process send signals to this process the whole
 * time:
 *   SIGUSR1     pthread_kill() to the main thread, from the threads;
 *   SIGUSR2     kill() to the process, from the threads and the child;
 *   SIGRTMIN    sigqueue() to the process, from the threads;
 *   SIGRTMIN+1  sigqueue() to the process, from the child.
 * The main thread handles them with sigport, changing how it waits every
 * 100 ms (sigport_dispatch() in a loop, poll() on the wakeup socket,
 * sigport_pause()). Every second it forks, and the child checks that it
 * starts clean; every 3 seconds it shuts sigport down and initialises it
 * again, either with the signals blocked or while they keep arriving. A
 * handler of the application's own, installed before sigport_init(), gets
 * what arrives while sigport is shut down, and what shutdown raises again.
 *
 * At the end the senders stop, everything is drained, and the counts must
 * add up: every queued real-time signal sent was handled exactly once,
 * by sigport or by the application's handler, except those that a shutdown
 * found undispatched and raised once for all; standard signals arrived at
 * least once and no more often than sent. Exit status 0 when they do.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sigport.h"

#define NSENDERS 2
/* Each sender sends BURST queued signals (and half as many of each
   standard one) every millisecond or so: tens of thousands a second in
   all. The senders wait while more than MAX_QUEUED queued signals are not
   yet handled, so that the receiver is never buried (the signals queued
   for a user are limited, and shared by all of its processes). */
#define BURST 10
#define MAX_QUEUED 2000
/* The main loop must come round at least this often. */
#define STUCK_SECONDS 30

enum { USR1, USR2, RT0, RT1, NKINDS };
static int signo[NKINDS];
static const char *const kind_name[NKINDS] = {"SIGUSR1", "SIGUSR2",
                                              "SIGRTMIN", "SIGRTMIN+1"};

/* Shared with the sender child. */
struct shared {
  atomic_ulong sent[NKINDS];
  /* Queued signals handled, by sigport or the application's handler, and
     raised again by a shutdown (each stands for one or more). */
  atomic_ulong handled_queued, reraised_queued;
  atomic_int stop;
};
static struct shared *shm;

/* What the sigport handlers saw (main thread only). */
static unsigned long sp_calls[NKINDS], sp_sum[NKINDS];
/* What the application's own handler saw, by si_code. */
static atomic_ulong ext_queue[NKINDS], ext_user[NKINDS], ext_tkill[NKINDS];

static pid_t self_pid, sender_pid;
static pthread_t main_thread;
static atomic_int senders_stop;
/* Bumped by each turn of the main loop; watched for a hang. */
static atomic_ulong progress;

static atomic_ulong errors;
static char first_error[256];
static unsigned long forks, cycles_blocked, cycles_live, inits;

static void fail(const char *fmt, ...) {
  va_list ap;
  if (atomic_fetch_add(&errors, 1) == 0) {
    va_start(ap, fmt);
    vsnprintf(first_error, sizeof first_error, fmt, ap);
    va_end(ap);
  }
}

static int kind_of(int signum) {
  int k;
  for (k = 0; k < NKINDS; k++)
    if (signo[k] == signum) return k;
  return -1;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_us(long us) {
  struct timespec ts;
  ts.tv_sec = us / 1000000;
  ts.tv_nsec = (us % 1000000) * 1000;
  nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

static int on_signal(int signum, const sigport_siginfo_t *info, void *arg) {
  int k = kind_of(signum);
  (void)arg;
  if (k < 0) {
    fail("handler called for signal %d", signum);
    return 0;
  }
  if (info->count < 1) fail("%s: count %lu", kind_name[k], info->count);
  if (info->signo != signum)
    fail("%s: info->signo %d", kind_name[k], info->signo);
  /* The siginfo is the last one recorded: of a sender of this signal. */
  if (k == RT0 && info->code == SI_QUEUE && info->pid != self_pid)
    fail("SIGRTMIN: sender pid %lld", (long long)info->pid);
  if (k == RT1 && info->code == SI_QUEUE && info->pid != sender_pid)
    fail("SIGRTMIN+1: sender pid %lld, expected %ld", (long long)info->pid,
         (long)sender_pid);
  sp_calls[k]++;
  sp_sum[k] += info->count;
  if (k == RT0 || k == RT1)
    atomic_fetch_add_explicit(&shm->handled_queued, info->count,
                              memory_order_relaxed);
  return 0;
}

/* The application's handler, in place whenever sigport is not. */
static void ext_handler(int signum, siginfo_t *si, void *ctx) {
  int k = kind_of(signum);
  (void)ctx;
  if (k < 0) return;
  if (si->si_code == SI_QUEUE)
    atomic_fetch_add(&ext_queue[k], 1);
  else if (si->si_code == SI_TKILL)
    atomic_fetch_add(&ext_tkill[k], 1);
  else
    atomic_fetch_add(&ext_user[k], 1);
  if (k == RT0 || k == RT1)
    atomic_fetch_add(si->si_code == SI_QUEUE ? &shm->handled_queued
                                             : &shm->reraised_queued,
                     1);
}

static void install_ext(void) {
  struct sigaction sa;
  int k;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = ext_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&sa.sa_mask);
  for (k = 0; k < NKINDS; k++) sigaction(signo[k], &sa, NULL);
}

static int ext_installed(int signum) {
  struct sigaction cur;
  return sigaction(signum, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
         cur.sa_sigaction == ext_handler;
}

/* ------------------------------------------------------------------ */
/* sigport's lifecycle                                                 */
/* ------------------------------------------------------------------ */

static sigport_socket_t pair[2] = {SIGPORT_NO_SOCKET, SIGPORT_NO_SOCKET};

static void up(void) {
  int k, rc;
  if ((rc = sigport_init(0)) != 0) {
    fprintf(stderr, "soak: sigport_init: %s\n", sigport_last_error());
    exit(2);
  }
  for (k = 0; k < NKINDS; k++) {
    sigport_handler_t cur;
    rc = sigport_signal(signo[k], on_signal, NULL, NULL);
    if (rc != 0) fail("sigport_signal(%d): %s", signo[k], sigport_last_error());
    if (sigport_getsignal(signo[k], &cur) != 0 || cur.fn != on_signal)
      fail("sigport_getsignal(%d) after sigport_signal", signo[k]);
  }
  if (sigport_socketpair(pair) != 0 ||
      sigport_set_wakeup_fd(pair[1], SIGPORT_WAKEUP_NO_WARN, NULL) != 0)
    fail("wakeup fd: %s", sigport_last_error());
  inits++;
}

static void down(void) {
  int k;
  sigport_shutdown();
  close(pair[0]);
  close(pair[1]);
  pair[0] = pair[1] = SIGPORT_NO_SOCKET;
  for (k = 0; k < NKINDS; k++)
    if (!ext_installed(signo[k]))
      fail("%s: the application's handler is not back after shutdown",
           kind_name[k]);
}

static void storm_mask(sigport_sigset_t *set) {
  int k;
  sigport_sigemptyset(set);
  for (k = 0; k < NKINDS; k++) sigport_sigaddset(set, signo[k]);
}

/* Shutdown and init with the signals blocked: nothing is left over, and
   what arrives meanwhile waits in the kernel for the new handlers. */
static void cycle_blocked(void) {
  sigport_sigset_t set, old;
  unsigned long before[NKINDS];
  int k, rc;
  storm_mask(&set);
  if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &set, &old) != 0)
    fail("sigport_pthread_sigmask: %s", sigport_last_error());
  for (k = 0; k < NKINDS; k++)
    before[k] = atomic_load(&ext_queue[k]) + atomic_load(&ext_tkill[k]) +
                atomic_load(&ext_user[k]);
  if (sigport_dispatch() != 0) fail("dispatch returned non-zero");
  down();
  up();
  for (k = 0; k < NKINDS; k++)
    if (atomic_load(&ext_queue[k]) + atomic_load(&ext_tkill[k]) +
            atomic_load(&ext_user[k]) !=
        before[k])
      fail("%s: a blocked shutdown left something over", kind_name[k]);
  /* What waited in the kernel arrives now, and is dispatched before the
     call returns. */
  rc = sigport_pthread_sigmask(SIGPORT_SIG_SETMASK, &old, NULL);
  if (rc != 0) fail("sigport_pthread_sigmask returned %d", rc);
  cycles_blocked++;
}

/* Shutdown while the storm goes on: deliveries land in the application's
   handler for a few milliseconds, then sigport takes over again. */
static void cycle_live(void) {
  if (sigport_dispatch() != 0) fail("dispatch returned non-zero");
  down();
  sleep_us(2000);
  up();
  cycles_live++;
}

/* ------------------------------------------------------------------ */
/* Senders                                                             */
/* ------------------------------------------------------------------ */

/* Waits while too many queued signals are not yet handled. */
static void throttle(void) {
  for (;;) {
    unsigned long sent = atomic_load(&shm->sent[RT0]) +
                         atomic_load(&shm->sent[RT1]);
    unsigned long done = atomic_load(&shm->handled_queued) +
                         atomic_load(&shm->reraised_queued);
    if (sent < done + MAX_QUEUED || atomic_load(&shm->stop) ||
        atomic_load(&senders_stop))
      return;
    sleep_us(200);
  }
}

static int send_queued(pid_t pid, int k, int value) {
  union sigval v;
  v.sival_int = value;
  throttle();
  if (sigqueue(pid, signo[k], v) == 0) {
    atomic_fetch_add(&shm->sent[k], 1);
    return 0;
  }
  return errno == EAGAIN ? 1 : -1;
}

static void *sender_thread(void *arg) {
  int n = 0;
  (void)arg;
  /* Only the main thread takes the storm. */
  if (sigport_thread_block(NULL) != 0)
    fail("sigport_thread_block: %s", sigport_last_error());
  while (!atomic_load(&senders_stop)) {
    int i;
    for (i = 0; i < BURST; i++) {
      int r = send_queued(self_pid, RT0, n++);
      if (r < 0) fail("sigqueue: %s", strerror(errno));
      if (r > 0) sleep_us(100); /* the queue is full */
      if (i % 2 == 0 && pthread_kill(main_thread, signo[USR1]) == 0)
        atomic_fetch_add(&shm->sent[USR1], 1);
      if (i % 2 == 1 && kill(self_pid, signo[USR2]) == 0)
        atomic_fetch_add(&shm->sent[USR2], 1);
    }
    sleep_us(1000);
  }
  return NULL;
}

static void sender_child(pid_t parent) {
  sigset_t all;
  int n = 0;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  while (!atomic_load(&shm->stop) && getppid() == parent) {
    int i;
    for (i = 0; i < BURST; i++) {
      int r = send_queued(parent, RT1, n++);
      if (r < 0) _exit(3);
      if (r > 0) sleep_us(100);
      if (i % 2 == 0 && kill(parent, signo[USR2]) == 0)
        atomic_fetch_add(&shm->sent[USR2], 1);
    }
    sleep_us(1000);
  }
  _exit(0);
}

/* A thread that ends the run if the main loop stops coming round. */
static void *watchdog(void *arg) {
  unsigned long last = atomic_load(&progress);
  int quiet = 0;
  (void)arg;
  sigport_thread_block(NULL);
  while (!atomic_load(&senders_stop)) {
    unsigned long now;
    sleep_us(1000000);
    now = atomic_load(&progress);
    quiet = now == last ? quiet + 1 : 0;
    last = now;
    if (quiet >= STUCK_SECONDS) {
      char msg[160];
      int n = snprintf(msg, sizeof msg,
                       "soak: FAIL: the main loop did not come round for "
                       "%d s\n",
                       STUCK_SECONDS);
      ssize_t w = write(STDOUT_FILENO, msg, (size_t)n);
      (void)w;
      atomic_store(&shm->stop, 1);
      _exit(1);
    }
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* fork() during the storm                                             */
/* ------------------------------------------------------------------ */

static void fork_check(void) {
  pid_t pid;
  int status;
  pid = fork();
  if (pid < 0) {
    fail("fork: %s", strerror(errno));
    return;
  }
  if (pid == 0) {
    /* Nothing pending, no wakeup fd, and this thread is the main one:
       a raised signal is dispatched here, once. */
    unsigned long calls = sp_calls[USR2], sum = sp_sum[USR2];
    if (sigport_pending()) _exit(10);
    if (sigport_get_wakeup_fd() != SIGPORT_NO_SOCKET) _exit(11);
    if (sigport_raise(signo[USR2]) != 0) _exit(12);
    if (sp_calls[USR2] != calls + 1 || sp_sum[USR2] != sum + 1) _exit(13);
    _exit(0);
  }
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("fork child: status 0x%x", status);
  forks++;
}

/* ------------------------------------------------------------------ */
/* The main loop                                                       */
/* ------------------------------------------------------------------ */

static void wait_once(int mode) {
  int rc = 0;
  if (mode == 0) {
    sleep_us(200);
    rc = sigport_dispatch();
  } else if (mode == 1) {
    struct pollfd p;
    char buf[512];
    p.fd = pair[0];
    p.events = POLLIN;
    p.revents = 0;
    poll(&p, 1, 50);
    while (read(pair[0], buf, sizeof buf) > 0) {
    }
    rc = sigport_dispatch();
  } else {
    rc = sigport_pause();
  }
  if (rc != 0) fail("wait mode %d returned %d", mode, rc);
}

static void totals(unsigned long *sent, unsigned long *handled) {
  int k;
  for (k = 0; k < NKINDS; k++) {
    sent[k] = atomic_load(&shm->sent[k]);
    handled[k] = sp_sum[k] + atomic_load(&ext_queue[k]) +
                 atomic_load(&ext_user[k]) + atomic_load(&ext_tkill[k]);
  }
}

static void status_line(double elapsed) {
  unsigned long sent[NKINDS], handled[NKINDS];
  int k;
  totals(sent, handled);
  printf("soak: %4.0f s", elapsed);
  for (k = 0; k < NKINDS; k++)
    printf("  %s %lu/%lu", kind_name[k], handled[k], sent[k]);
  printf("  forks %lu  inits %lu  errors %lu\n", forks, inits,
         atomic_load(&errors));
  fflush(stdout);
}

/* Waits until nothing more arrives: no signal of ours pending in the
   kernel and nothing awaiting dispatch, for 200 ms. */
static void drain(void) {
  double quiet = now_s();
  unsigned long last = 0;
  while (now_s() - quiet < 0.2) {
    sigset_t pend;
    unsigned long now = 0;
    int k, any = 0;
    sleep_us(1000);
    sigport_dispatch();
    sigpending(&pend);
    for (k = 0; k < NKINDS; k++) {
      now += sp_sum[k] + atomic_load(&ext_queue[k]);
      any |= sigismember(&pend, signo[k]) == 1;
    }
    if (now != last || any || sigport_pending()) {
      last = now;
      quiet = now_s();
    }
  }
}

static int check(void) {
  unsigned long sent[NKINDS], handled[NKINDS];
  int k, ok = 1;
  totals(sent, handled);
  printf("\nsoak: counts        sent   sigport (calls)        app handler "
         "(queue/user/tkill)\n");
  for (k = 0; k < NKINDS; k++)
    printf("soak: %-10s %10lu %10lu (%lu) %10lu/%lu/%lu\n", kind_name[k],
           sent[k], sp_sum[k], sp_calls[k], atomic_load(&ext_queue[k]),
           atomic_load(&ext_user[k]), atomic_load(&ext_tkill[k]));
  for (k = RT0; k <= RT1; k++) {
    /* Queued: each one sent arrived once. A shutdown that found some
       undispatched raised the signal once for all of them (SI_TKILL). */
    unsigned long got = sp_sum[k] + atomic_load(&ext_queue[k]);
    unsigned long reraised = atomic_load(&ext_tkill[k]);
    unsigned long missing = sent[k] - got;
    if (got > sent[k]) {
      printf("soak: FAIL %s: %lu handled, more than the %lu sent\n",
             kind_name[k], got, sent[k]);
      ok = 0;
    } else if (missing != 0 && missing < reraised) {
      printf("soak: FAIL %s: %lu missing but %lu raised again\n",
             kind_name[k], missing, reraised);
      ok = 0;
    } else if (missing != 0 && reraised == 0) {
      printf("soak: FAIL %s: %lu sent signals lost\n", kind_name[k], missing);
      ok = 0;
    } else if (missing == 0) {
      printf("soak: ok   %s: %lu sent = %lu handled by sigport + %lu by the "
             "application's handler\n",
             kind_name[k], sent[k], sp_sum[k], atomic_load(&ext_queue[k]));
    } else {
      printf("soak: ok   %s: %lu sent = %lu handled + %lu left at %lu "
             "shutdowns and raised again once each\n",
             kind_name[k], sent[k], got, missing, reraised);
    }
  }
  for (k = USR1; k <= USR2; k++) {
    /* Standard signals merge: at least one, never more than sent (plus
       what shutdowns raised again). */
    if (sent[k] == 0 || handled[k] == 0 ||
        handled[k] > sent[k] + atomic_load(&ext_tkill[k])) {
      printf("soak: FAIL %s: %lu handled for %lu sent\n", kind_name[k],
             handled[k], sent[k]);
      ok = 0;
    } else {
      printf("soak: ok   %s: %lu deliveries handled for %lu sent (standard "
             "signals merge)\n",
             kind_name[k], handled[k], sent[k]);
    }
  }
  printf("soak: forks %lu, shutdown/init cycles %lu blocked + %lu live\n",
         forks, cycles_blocked, cycles_live);
  if (atomic_load(&errors) != 0) {
    printf("soak: FAIL %lu errors; the first: %s\n", atomic_load(&errors),
           first_error);
    ok = 0;
  }
  printf("soak: %s\n", ok ? "PASS" : "FAIL");
  return ok;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 600, start, next_fork,
         next_cycle, next_status, next_mode;
  pthread_t senders[NSENDERS], dog;
  int i, mode = 0, live = 0, status;
  if (seconds <= 0) {
    fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
    return 2;
  }
  signo[USR1] = SIGUSR1;
  signo[USR2] = SIGUSR2;
  signo[RT0] = SIGRTMIN;
  signo[RT1] = SIGRTMIN + 1;
  self_pid = getpid();
  main_thread = pthread_self();
  shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shm == MAP_FAILED) return 2;

  install_ext();
  up();
  sender_pid = fork();
  if (sender_pid < 0) return 2;
  if (sender_pid == 0) sender_child(self_pid);
  for (i = 0; i < NSENDERS; i++)
    pthread_create(&senders[i], NULL, sender_thread, NULL);
  pthread_create(&dog, NULL, watchdog, NULL);

  printf("soak: %.0f s, pid %ld, sender child %ld\n", seconds,
         (long)self_pid, (long)sender_pid);
  start = now_s();
  next_fork = start + 1;
  next_cycle = start + 3;
  next_status = start + 10;
  next_mode = start + 0.1;
  while (now_s() - start < seconds) {
    double t = now_s();
    atomic_fetch_add_explicit(&progress, 1, memory_order_relaxed);
    wait_once(mode);
    if (t >= next_mode) {
      mode = (mode + 1) % 3;
      next_mode = t + 0.1;
    }
    if (t >= next_fork) {
      fork_check();
      next_fork = t + 1;
    }
    if (t >= next_cycle) {
      if (live)
        cycle_live();
      else
        cycle_blocked();
      live = !live;
      next_cycle = t + 3;
    }
    if (t >= next_status) {
      status_line(t - start);
      next_status = t + 10;
    }
  }

  atomic_store(&senders_stop, 1);
  for (i = 0; i < NSENDERS; i++) pthread_join(senders[i], NULL);
  pthread_join(dog, NULL);
  atomic_store(&shm->stop, 1);
  while (waitpid(sender_pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("sender child: status 0x%x", status);
  drain();
  status_line(now_s() - start);
  i = check();
  sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  sigport_shutdown();
  return i ? 0 : 1;
}
