/*
 * run.c: `sigport run` on POSIX systems, a supervisor for one command.
 * (run_win.c is the Windows one.)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <dirent.h>
#include <sys/prctl.h>
#endif

#include "tool.h"

/* A system call of run failed: says why, and returns run's status. */
static int run_system_failed(const char *call, int err) {
  (void)system_failed(call, err);
  return EXIT_RUN_FAILED;
}

/* ------------------------------------------------------------------ */
/* Waiting for a signal                                                */
/* ------------------------------------------------------------------ */

/* The wakeup fd that `run` sleeps on: the trip writes a byte to pair[1]
   after each delivery, so a poll() of pair[0] wakes up. (`watch` sleeps
   on its watch's fd.) */
struct waker {
  sigport_socket_t pair[2];
};

static int waker_open(struct waker *w) {
  int rc = sigport_socketpair(w->pair);
  if (rc != 0) return run_library_failed(rc);
  rc = sigport_set_wakeup_fd(w->pair[1], SIGPORT_WAKEUP_NO_WARN, NULL);
  if (rc != 0) {
    close(w->pair[0]);
    close(w->pair[1]);
    return run_library_failed(rc);
  }
  return 0;
}

static void waker_close(struct waker *w) {
  (void)sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  close(w->pair[0]);
  close(w->pair[1]);
}

/* Sleeps until a signal arrives or `deadline` passes (-1: no deadline), and
   empties the wakeup socket. *woke is 1 when a signal came, 0 when the
   deadline passed. Returns 0, or EXIT_RUN_FAILED after saying why. */
static int waker_wait(struct waker *w, int64_t deadline, int *woke) {
  struct pollfd p;
  char buf[64];
  int n;
  p.fd = w->pair[0];
  p.events = POLLIN;
  p.revents = 0;
  n = poll(&p, 1, ms_until(deadline));
  if (n < 0 && errno != EINTR) return run_system_failed("poll", errno);
  *woke = n != 0;
  while (read(w->pair[0], buf, sizeof buf) > 0) {
  }
  return 0;
}
/* ------------------------------------------------------------------ */
/* run                                                                 */
/* ------------------------------------------------------------------ */

const char help_run[] =
    "Usage: sigport run [OPTION...] [--] COMMAND [ARG...]\n"
    "\n"
    "Runs COMMAND as a child in a process group of its own, passes signals\n"
    "on to it, and ends the way it ended.\n"
    "\n"
    "  --timeout DURATION    at the timeout send SIGNAL, then CONT, to the\n"
    "                        child's process group, and exit 124 once the\n"
    "                        child ended (0 or inf: no timeout)\n"
    "  -s, --signal SIGNAL   the signal sent at the timeout (default TERM)\n"
    "  -k, --kill-after DURATION\n"
    "                        with --timeout: send KILL this long after\n"
    "                        SIGNAL if the child still runs (0: never)\n"
    "  --foreground          the timeout's signals go to the child alone,\n"
    "                        not to its process group\n"
    "  --preserve-status     exit with the child's status after a timeout\n"
    "                        too, not 124\n"
    "  --forward LIST        pass on only these signals, comma-separated;\n"
    "                        the others are held (default: every signal\n"
    "                        that can be caught but CHLD, the faults SEGV,\n"
    "                        BUS, FPE, ILL, TRAP, SYS, and job control)\n"
    "  --no-forward          hold every signal: pass none on, and stay up\n"
    "  --group               pass signals on to the child's process group,\n"
    "                        not to the child alone\n"
    "  -v, --verbose         say each signal sent, on stderr\n"
    "  --init                reap every orphan that comes to run (as PID 1,\n"
    "                        or on Linux as a child subreaper); when the\n"
    "                        child ends, send TERM to the descendants it\n"
    "                        left, wait for them, and KILL what remains\n"
    "                        after the grace (not on Windows)\n"
    "  --grace DURATION      with --init: how long the descendants have\n"
    "                        between TERM and KILL (default 5; 0: KILL at\n"
    "                        once)\n"
    "\n"
    "DURATION is a number of seconds, with fractions or an exponent, and\n"
    "an optional unit s, m, h or d; inf is none.\n"
    "\n"
    "Each signal reaches the child once: one sent to run's pid or to run's\n"
    "process group is passed on, and when run is in the terminal's\n"
    "foreground the child's group is made the foreground, so that Ctrl+C,\n"
    "Ctrl+\\ and Ctrl+Z go to it alone (the terminal is given back at the\n"
    "end). A hangup that the terminal sends to run is passed on. TSTP, TTIN\n"
    "and TTOU sent to run stop the child, then run; CONT resumes both. A\n"
    "child stopped from the terminal stops run too, and gives the terminal\n"
    "back to run's caller. A held signal does not end run before its\n"
    "child.\n"
    "\n"
    "The child starts with the signal state run was given: what run set is\n"
    "undone and every signal is unblocked, while a signal ignored by run's\n"
    "caller (nohup) stays ignored. On Linux the child gets SIGKILL if run\n"
    "itself is killed.\n"
    "\n"
    "With --init, run ends once the child and every descendant have ended.\n"
    "As PID 1 the descendants are every other process; as a subreaper\n"
    "(Linux) they are found from the parent links of /proc. Elsewhere, if\n"
    "run is not PID 1, no orphan comes to it and it finds no descendants.\n"
    "\n"
    "Exit status: 124 when the timeout fired (unless --preserve-status);\n"
    "otherwise the child's status, and when signal N ended the child run\n"
    "ends itself by signal N (a shell sees 128+N; as PID 1, which that\n"
    "signal cannot end, run exits with 128+N); 125 when run itself failed,\n"
    "usage errors included; 126 when COMMAND cannot be run, 127 when it is\n"
    "not found.\n"
    "Windows: the child gets a process group of its own; INT and BREAK\n"
    "reach it as CTRL_BREAK_EVENT; the timeout ends it with\n"
    "TerminateProcess (--signal and --kill-after have no effect).\n";


/* How `run --init` finds the descendants it ends. */
enum reach {
  REACH_NONE, /* no way to know them: run is no reaper of its own */
  REACH_ALL,  /* PID 1: every other process is one */
  REACH_PROC  /* a subreaper (Linux): the parent links of /proc */
};

struct child {
  pid_t pid;  /* 0 once it has ended */
  pid_t pgrp; /* its process group's id, its pid */
  const struct sigport_cli_run *opts;
  int watched;               /* the child's watch is in place */
  int ended;                 /* its watch reported it, in `st` */
  sigport_child_status_t st; /* how it ended */
  enum reach reach;          /* --init */
  int tty;      /* the controlling terminal (/dev/tty), or -1 for none */
  int gave_tty; /* run was in its foreground, and gave it to the child */
};

/* Sends sig to the child, or with `group` to its process group; with
   --verbose, says so and why. */
static void send_child(struct child *c, int sig, int group, const char *why) {
  if (c->pid == 0) return;
  if (c->opts->verbose)
    complain(0, "run: sending %s to %s %ld (%s)", sigport_signame(sig),
             group ? "process group" : "pid", (long)c->pid, why);
  (void)sigport_kill(group ? -(sigport_pid_t)c->pid : c->pid, sig);
}

/* The timeout's signals, CONT and the job control signals go to the
   child's group unless --foreground. */
static int to_group(const struct child *c) { return !c->opts->foreground; }

/* Blocks (1) or unblocks (0) SIGTTOU, which tcsetpgrp() from a background
   process would otherwise get. */
static void hold_ttou(int on) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTTOU);
  (void)sigprocmask(on ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Makes pgrp the terminal's foreground process group. */
static void give_terminal(struct child *c, pid_t pgrp) {
  hold_ttou(1);
  (void)tcsetpgrp(c->tty, pgrp);
  hold_ttou(0);
}

/* Stops run by sig (TSTP, TTIN or TTOU) as if it had no handler: the
   kernel stops it, or drops the signal where run's process group is
   orphaned and nobody would resume it. Returns once run goes on. */
static int on_job_stop(int signum, const sigport_siginfo_t *info, void *arg);
static void stop_self(struct child *c, int sig) {
  fflush(stdout);
  fflush(stderr);
  (void)sigport_signal(sig, SIGPORT_SIG_DFL, NULL, NULL);
  (void)kill(getpid(), sig);
  (void)sigport_signal(sig, on_job_stop, c, NULL);
}

/* Passes a signal on to the child, unless it is held. */
static int on_forwarded(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  (void)info;
  if (c->opts->forward[signum])
    send_child(c, signum, c->opts->group, "passed on");
  return 0;
}

/* TSTP, TTIN or TTOU sent to run: the child stops, then run. */
static int on_job_stop(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  (void)info;
  if (c->pid == 0) return 0;
  send_child(c, signum, to_group(c), "job control");
  stop_self(c, signum);
  return 0;
}

/* CONT: run goes on, and so does the child. Back in the terminal's
   foreground, run hands it to the child again. */
static int on_job_cont(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  (void)signum;
  (void)info;
  if (c->pid == 0) return 0;
  if (c->gave_tty && tcgetpgrp(c->tty) == getpgrp()) give_terminal(c, c->pid);
  send_child(c, SIGPORT_SIGCONT, to_group(c), "job control");
  return 0;
}

/* SIGCHLD (beside the child's watch, which reaps it): a child that the
   terminal stopped while it had the terminal stops run too, and the
   terminal goes back to run's group, so that run's caller (a shell) sees
   a stopped job. A child stopped otherwise (SIGSTOP, or TTIN in the
   background) does not stop run: its timeout still comes. */
static int on_child_signal(int signum, const sigport_siginfo_t *info,
                           void *arg) {
  struct child *c = arg;
  siginfo_t si;
  int stop;
  (void)signum;
  (void)info;
  if (c->pid == 0 || !c->gave_tty) return 0;
  memset(&si, 0, sizeof si);
  if (waitid(P_PID, (id_t)c->pid, &si, WSTOPPED | WNOHANG) != 0 ||
      si.si_pid != c->pid)
    return 0;
  stop = si.si_status;
  if (stop != SIGTSTP && stop != SIGTTIN && stop != SIGTTOU) return 0;
  if (tcgetpgrp(c->tty) != c->pid) return 0;
  give_terminal(c, getpgrp());
  stop_self(c, stop);
  return 0;
}

/* Installs run's handlers: the forwarded and the held signals, job
   control, and SIGCHLD. Returns 0 or an exit status. */
static int install_run_handlers(struct child *c) {
  int s, rc;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!c->opts->forward[s] && !c->opts->guard[s]) continue;
    rc = sigport_signal(s, on_forwarded, c, NULL);
    if (rc != 0) return run_library_failed(rc);
  }
  if ((rc = sigport_signal(SIGPORT_SIGTSTP, on_job_stop, c, NULL)) != 0 ||
      (rc = sigport_signal(SIGPORT_SIGTTIN, on_job_stop, c, NULL)) != 0 ||
      (rc = sigport_signal(SIGPORT_SIGTTOU, on_job_stop, c, NULL)) != 0 ||
      (rc = sigport_signal(SIGPORT_SIGCONT, on_job_cont, c, NULL)) != 0 ||
      (rc = sigport_signal(SIGPORT_SIGCHLD, on_child_signal, c, NULL)) != 0)
    return run_library_failed(rc);
  return 0;
}

/* The child's watch: sigport reaped it, and this is how it ended. From
   here on nothing is passed on to its pid. */
static int on_child_end(const sigport_child_status_t *st, void *arg) {
  struct child *c = arg;
  c->st = *st;
  c->ended = 1;
  c->pid = 0;
  return 0;
}

/* --init: an orphan (or any other child of run) ended, and sigport has
   reaped it. Its status is nobody's. */
static int on_orphan(const sigport_child_status_t *st, void *arg) {
  (void)st;
  (void)arg;
  return 0;
}

/* Opens the controlling terminal, if run has one, and says whether run
   is in its foreground: then the child gets it. */
static void find_terminal(struct child *c) {
  c->tty = open("/dev/tty", O_RDWR | O_NOCTTY);
  if (c->tty < 0) return;
  if (fcntl(c->tty, F_SETFD, FD_CLOEXEC) != 0 ||
      tcgetpgrp(c->tty) != getpgrp()) {
    close(c->tty);
    c->tty = -1;
  }
}

/* Runs in the child: a process group of its own, made the terminal's
   foreground where run had it; then the signal state is restored, and
   COMMAND exec'd. A failure is reported to the parent through the
   close-on-exec pipe. */
static void exec_child(char **argv, int report_fd, pid_t parent, int tty) {
  int err;
  ssize_t n;
#if defined(__linux__)
  /* The child does not outlive a run that was killed by SIGKILL. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent) _exit(1);
#else
  (void)parent;
#endif
  (void)setpgid(0, 0);
  if (tty >= 0) {
    hold_ttou(1);
    (void)tcsetpgrp(tty, getpid());
  }
  sigport_restore_for_exec();
  execvp(argv[0], argv);
  err = errno;
  n = write(report_fd, &err, sizeof err);
  (void)n;
  _exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* Forks and execs COMMAND, and watches it with sigport_watch_child(), so
   that sigport reaps it and run is told how it ended. Returns 0 with
   c->pid set, also when the exec failed (the child then exits with 127 or
   126, which its watch reports); or an exit status when the fork or the
   watch failed (c->pid is then set if there is a child to abandon). */
static int spawn(struct child *c, char **argv) {
  int fds[2], err = 0, watch;
  ssize_t n;
  pid_t pid, parent = getpid();
  if (pipe(fds) != 0) return run_system_failed("pipe", errno);
  if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
      fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return run_system_failed("fcntl", err);
  }
  pid = fork();
  if (pid < 0) {
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return run_system_failed("fork", err);
  }
  if (pid == 0) {
    close(fds[0]);
    exec_child(argv, fds[1], parent, c->tty);
  }
  close(fds[1]);
  /* Both sides set the group, so that it exists before either goes on;
     after the exec this one fails (EACCES), the child's having worked. */
  (void)setpgid(pid, pid);
  c->pid = pid;
  c->pgrp = pid;
  c->gave_tty = c->tty >= 0;
  /* A child that has ended already is reported all the same. */
  watch = sigport_watch_child(pid, on_child_end, c);
  c->watched = watch == 0;
  /* The pipe closes on a successful exec and brings the errno otherwise.
     Signals that interrupt the read are handled later, by the loop. */
  do {
    n = read(fds[0], &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  close(fds[0]);
  if (watch != 0) return run_library_failed(watch);
  if (n == (ssize_t)sizeof err)
    complain(EXIT_RUN_FAILED, "run: cannot run '%s': %s", argv[0],
             strerror(err));
  return 0;
}

/* Sleeps until a signal arrives (SIGCHLD included, which tells of a
   child's end) or `deadline` passes (-1: no deadline). A runtime that
   defers signals (ThreadSanitizer's) may lose a SIGCHLD, and with it the
   news of an end: after a second without any signal, run sends itself
   SIGCHLD, which makes the next dispatch look at the children again.
   Returns 0 or an exit status. */
static int wait_event(struct waker *w, int64_t deadline) {
  int64_t until = deadline, now = now_us();
  int rc, woke = 0;
  if (until < 0 || until > now + 1000000) until = now + 1000000;
  if ((rc = waker_wait(w, until, &woke)) != 0) return rc;
  if (!woke && (deadline < 0 || now_us() < deadline))
    (void)sigport_kill((sigport_pid_t)getpid(), SIGPORT_SIGCHLD);
  return 0;
}

/* Waits until the child's watch has reported it, applying the timeout:
   its signal, then CONT (a stopped child acts on nothing else), then
   KILL after --kill-after. Returns 0, or an exit status. */
static int supervise(struct child *c, struct waker *w, int *timed_out) {
  const struct sigport_cli_run *o = c->opts;
  int64_t deadline =
      o->timeout > 0 ? now_us() + duration_us(o->timeout) : -1;
  int64_t kill_deadline = -1;
  for (;;) {
    int64_t now;
    int rc = sigport_dispatch();
    /* A failed dispatch is said, not waited out until the timeout: run
       would never hear of the child's end. */
    if (rc < 0) return run_library_failed(rc);
    if (c->ended) return 0;
    now = now_us();
    if (deadline >= 0 && !*timed_out && now >= deadline) {
      int sig = o->timeout_signal;
      *timed_out = 1;
      send_child(c, sig, to_group(c), "timeout");
      if (sig != SIGPORT_SIGKILL && sig != SIGPORT_SIGCONT)
        send_child(c, SIGPORT_SIGCONT, to_group(c), "timeout");
      if (o->kill_after > 0)
        kill_deadline = now + duration_us(o->kill_after);
    }
    if (kill_deadline >= 0 && now >= kill_deadline) {
      send_child(c, SIGPORT_SIGKILL, to_group(c), "kill after");
      kill_deadline = -1;
    }
    rc = wait_event(w, *timed_out ? kill_deadline : deadline);
    if (rc != 0) return rc;
  }
}

#if defined(__linux__)
/* A process of /proc: its pid and its parent's. */
struct proc_link {
  pid_t pid, ppid;
};

static int by_pid(const void *a, const void *b) {
  pid_t x = ((const struct proc_link *)a)->pid;
  pid_t y = ((const struct proc_link *)b)->pid;
  return (x > y) - (x < y);
}

/* Reads the parent link of every process in /proc, sorted by pid, into
   *out (malloc'd). Returns how many, or -1 with errno set. */
static long read_links(struct proc_link **out) {
  struct proc_link *links = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  DIR *d = opendir("/proc");
  if (d == NULL) return -1;
  while ((e = readdir(d)) != NULL) {
    char path[64], buf[512], *paren;
    long pid, ppid;
    char state;
    size_t got;
    FILE *f;
    if (sigport_cli_long(e->d_name, 1, 0x7fffffffL, &pid) != 0) continue;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    /* Gone since readdir(): it is no one's descendant any more. */
    if ((f = fopen(path, "r")) == NULL) continue;
    got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses,
       so the fields are read after the last ')'. */
    paren = strrchr(buf, ')');
    if (paren == NULL || sscanf(paren + 1, " %c %ld", &state, &ppid) != 2)
      continue;
    if (n == cap) {
      size_t want = cap != 0 ? cap * 2 : 256;
      struct proc_link *p = realloc(links, want * sizeof *links);
      if (p == NULL) {
        free(links);
        closedir(d);
        errno = ENOMEM;
        return -1;
      }
      links = p;
      cap = want;
    }
    links[n].pid = (pid_t)pid;
    links[n].ppid = (pid_t)ppid;
    n++;
  }
  closedir(d);
  if (n > 0) qsort(links, n, sizeof *links, by_pid);
  *out = links;
  return (long)n;
}

/* Sends sig (0: none) to each descendant of run in /proc, zombies
   included, which are to be reaped. Returns how many there are, or -1
   with errno set when /proc cannot be read. */
static long proc_descendants(int sig) {
  struct proc_link *links = NULL, key;
  signed char *mine; /* 1: a descendant, -1: not one, 0: not known yet */
  size_t *path;
  long n = read_links(&links), i, count = 0;
  pid_t self = getpid();
  if (n < 0) return -1;
  mine = calloc((size_t)n + 1, 1);
  path = malloc(((size_t)n + 1) * sizeof *path);
  if (mine == NULL || path == NULL) {
    free(mine);
    free(path);
    free(links);
    errno = ENOMEM;
    return -1;
  }
  for (i = 0; i < n; i++) {
    size_t depth = 0, k, at = (size_t)i;
    signed char verdict = -1;
    /* Up the parent links until run, the top, or a process known. */
    for (;;) {
      struct proc_link *parent;
      if (mine[at] != 0) {
        verdict = mine[at];
        break;
      }
      path[depth++] = at;
      if (links[at].ppid == self) {
        verdict = 1;
        break;
      }
      key.pid = links[at].ppid;
      parent = key.pid > 0 ? bsearch(&key, links, (size_t)n, sizeof *links,
                                     by_pid)
                           : NULL;
      /* A link that loops (a pid reused while /proc was read) ends the
         walk too. */
      if (parent == NULL || depth > (size_t)n) break;
      at = (size_t)(parent - links);
    }
    for (k = 0; k < depth; k++) mine[path[k]] = verdict;
  }
  for (i = 0; i < n; i++) {
    if (mine[i] != 1 || links[i].pid == self) continue;
    count++;
    if (sig != 0) (void)kill(links[i].pid, sig);
  }
  free(path);
  free(mine);
  free(links);
  return count;
}
#endif

/* --init: sends sig (0: none) to the descendants of run that are left,
   and returns whether there are any. As PID 1, kill(-1) reaches every
   other process, and kill(-1, 0) fails with ESRCH only when none is left,
   zombies included. */
static int descendants_left(struct child *c, int sig) {
  switch (c->reach) {
  case REACH_ALL:
    if (sig != 0) (void)kill(-1, sig);
    return kill(-1, 0) == 0;
  case REACH_PROC:
#if defined(__linux__)
  {
    long n = proc_descendants(sig);
    if (n < 0) {
      complain(EXIT_RUN_FAILED,
               "run: read /proc: %s; the descendants left are not ended",
               strerror(errno));
      c->reach = REACH_NONE;
      return 0;
    }
    return n > 0;
  }
#endif
  case REACH_NONE:
  default: return 0;
  }
}

/* --init: makes run the reaper of every orphan below it. Every child that
   no other watch names is reaped by sigport (SIGPORT_CHILD_ANY), and, on
   Linux, run becomes a child subreaper unless it is PID 1 already, so
   that orphans of its descendants come to it. Before the fork, so that no
   orphan slips past. Returns 0 or an exit status. */
static int become_reaper(struct child *c) {
  int rc = sigport_watch_child(SIGPORT_CHILD_ANY, on_orphan, c);
  if (rc != 0) return run_library_failed(rc);
  c->reach = getpid() == 1 ? REACH_ALL : REACH_NONE;
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
  if (c->reach != REACH_ALL) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) != 0)
      return run_system_failed("prctl(PR_SET_CHILD_SUBREAPER)", errno);
    c->reach = REACH_PROC;
  }
#endif
  return 0;
}

/* --init: how long run waits for the descendants after SIGKILL. Only a
   process that cannot be woken (uninterruptible sleep) outlasts it. */
#define KILL_WAIT_SECONDS 5

/* --init, once the child has ended: TERM (and CONT, so that a stopped one
   acts on it) to the descendants left, then wait for them, reaping as
   they end, until none is left or the grace has passed; then KILL what
   remains, as often as new ones show up, until none is left, or say which
   are left after KILL_WAIT_SECONDS. Returns 0 or an exit status. */
static int end_descendants(struct child *c, struct waker *w) {
  int64_t deadline =
      now_us() + (c->opts->grace > 0 ? duration_us(c->opts->grace) : 0);
  int rc;
  (void)sigport_dispatch();
  if (!descendants_left(c, 0)) return 0;
  if (c->opts->grace > 0) {
    (void)descendants_left(c, SIGTERM);
    (void)descendants_left(c, SIGCONT);
    for (;;) {
      if ((rc = wait_event(w, deadline)) != 0) return rc;
      (void)sigport_dispatch();
      if (!descendants_left(c, 0)) return 0;
      if (now_us() >= deadline) break;
    }
  }
  deadline = now_us() + (int64_t)KILL_WAIT_SECONDS * 1000000;
  while (descendants_left(c, SIGKILL)) {
    if (now_us() >= deadline) {
      complain(EXIT_RUN_FAILED,
               "run: descendants are left %d seconds after SIGKILL; run "
               "ends without them",
               KILL_WAIT_SECONDS);
      return 0;
    }
    if ((rc = wait_event(w, deadline)) != 0) return rc;
    (void)sigport_dispatch();
  }
  return 0;
}

/* run cannot go on supervising: the child is killed, and reaped here
   after its watch is dropped, so that it is not left behind. With --init
   the descendants get SIGKILL too. */
static void abandon(struct child *c) {
  int status;
  (void)sigport_kill(-(sigport_pid_t)c->pid, SIGPORT_SIGKILL);
  (void)sigport_kill(c->pid, SIGPORT_SIGKILL);
  if (c->opts->init) (void)descendants_left(c, SIGKILL);
  if (c->watched) (void)sigport_unwatch_child(c->pid);
  while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {
  }
  c->pid = 0;
}

/* Ends run the way the child ended. Does not return. */
static void end_like(const sigport_child_status_t *st) {
  fflush(stdout);
  if (st->signo != 0) {
    if (sigport_default_action(st->signo) == SIGPORT_ACTION_CORE) {
      /* The child's core dump, if any, is the one that matters. */
      struct rlimit none = {0, 0};
      (void)setrlimit(RLIMIT_CORE, &none);
    }
    /* PID 1 ignores every signal it has no handler for, even one that it
       sends itself: a shell sees 128 + signo either way. */
    if (getpid() == 1) exit(128 + st->signo);
    sigport_exit_by_signal(st->signo);
  }
  exit(st->code);
}

/* Gives the terminal back to run's group if the child's group still has
   it; takes what is still pending, without passing it on, and gives the
   signals back. */
static void run_cleanup(struct child *c, struct waker *w) {
  static const int own[] = {SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD};
  sigset_t late;
  size_t k;
  int s;
  c->pid = 0;
  if (c->gave_tty && tcgetpgrp(c->tty) == c->pgrp)
    give_terminal(c, getpgrp());
  if (c->tty >= 0) close(c->tty);
  c->tty = -1;
  /* A signal that comes from here on, once run's handlers are gone (a
     hangup that reached the child first, a TERM to the group), stays
     blocked and pending: run ends the way its child did, not by it. */
  sigemptyset(&late);
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (c->opts->forward[s] || c->opts->guard[s]) sigaddset(&late, s);
  for (k = 0; k < sizeof own / sizeof own[0]; k++) sigaddset(&late, own[k]);
  (void)sigprocmask(SIG_BLOCK, &late, NULL);
  (void)sigport_dispatch();
  waker_close(w);
  sigport_shutdown();
}

int cmd_run(const struct sigport_cli *cli) {
  struct child c;
  struct waker w;
  int rc, timed_out = 0;
  memset(&c, 0, sizeof c);
  c.opts = &cli->run;
  c.reach = REACH_NONE;
  c.tty = -1;
  rc = sigport_init(0);
  if (rc != 0) return run_library_failed(rc);
  /* Handlers go in before the fork: a signal that comes before the child's
     pid is known is dispatched, and passed on, once it is. */
  if ((rc = install_run_handlers(&c)) != 0 || (rc = waker_open(&w)) != 0) {
    sigport_shutdown();
    return rc;
  }
  find_terminal(&c);
  if (c.opts->init) rc = become_reaper(&c);
  if (rc == 0) rc = spawn(&c, cli->args);
  if (rc == 0) rc = supervise(&c, &w, &timed_out);
  /* run failed while the child runs: it is not left behind. */
  if (rc != 0 && c.pid != 0) abandon(&c);
  if (rc == 0 && c.opts->init && (rc = end_descendants(&c, &w)) != 0)
    (void)descendants_left(&c, SIGKILL);
  run_cleanup(&c, &w);
  if (rc != 0) return rc;
  if (c.st.lost)
    return complain(EXIT_RUN_FAILED,
                    "run: the status of pid %ld was lost: something else in "
                    "run reaped it",
                    (long)c.st.pid);
  if (timed_out && !c.opts->preserve_status) return EXIT_TIMEDOUT;
  end_like(&c.st);
  return EXIT_RUN_FAILED;
}
